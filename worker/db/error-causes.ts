/**
 * An error and the errors in its `cause` chain, outermost first (at most 5): drizzle wraps a driver's error
 * ("Failed query: …") with the SQLite message in `cause`, so what SQLite said is found by walking the chain.
 */
export function errorCauses(error: unknown): unknown[] {
  const causes: unknown[] = []
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++)
    causes.push(e)
  return causes
}

/** Whether the error or any error it was caused by has a message matching `pattern`. */
export function causedBy(error: unknown, pattern: RegExp): boolean {
  return errorCauses(error).some((e) => e instanceof Error && pattern.test(e.message))
}
