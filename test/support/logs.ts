import { vi } from 'vitest'

/**
 * Everything the worker writes to the console from now on (it runs in the test's isolate, so this is what
 * Workers Logs would receive). Undo with `vi.restoreAllMocks()`.
 */
export function captureLogs(): string[] {
  const lines: string[] = []
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      lines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '))
    })
  }
  return lines
}
