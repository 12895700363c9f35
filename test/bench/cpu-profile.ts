// A CPU profile of the app's isolate under `wrangler dev` (its DevTools inspector, `--inspector-port`), over the
// Chrome DevTools Protocol: Profiler.start/stop around the rounds a scenario wants, then self time summed per
// function and per source file. Bench only (BENCH_PROFILE=1); the figures say where the CPU of the workerd thread went.

/** The `ws` client (wrangler's own dependency): wrangler's inspector proxy refuses Node's built-in WebSocket. */
interface Socket {
  on(type: 'open' | 'error' | 'message', fn: (data?: unknown) => void): void
  send(data: string): void
  close(): void
}
type SocketClass = new (url: string) => Socket

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number; scriptId: string }
  hitCount?: number
  children?: number[]
}
interface Profile {
  nodes: ProfileNode[]
  startTime: number
  endTime: number
  samples?: number[]
  timeDeltas?: number[]
}

export interface CpuProfiler {
  start(): Promise<void>
  stop(): Promise<void>
  summary(top?: number): CpuSummary
  close(): void
}

export interface CpuSummary {
  sampledMs: number
  idleMs: number
  topFunctions: { fn: string; selfMs: number; share: number }[]
  topFiles: { file: string; selfMs: number; share: number }[]
  /** Each sample charged to the nearest app function on its stack (`worker/`, `durable-objects/`): who caused it. */
  topAppCallers: { fn: string; selfMs: number; share: number }[]
  /** Each sample charged to every app function on its stack once (inclusive time): what a step costs in all. */
  topAppInclusive: { fn: string; selfMs: number; share: number }[]
  /** BENCH_PROFILE_FOCUS=<regex>: samples whose own function matches, charged to their nearest app caller. */
  focusCallers?: { fn: string; selfMs: number; share: number }[]
}

export async function connectProfiler(port: number): Promise<CpuProfiler> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as {
    webSocketDebuggerUrl: string
  }[]
  const url = targets[0]?.webSocketDebuggerUrl
  if (!url) throw new Error('no inspector target')
  const { default: WebSocketClient } = (await import('ws' as string)) as { default: SocketClass }
  const ws = new WebSocketClient(url)
  await new Promise<void>((resolve, reject) => {
    ws.on('open', () => resolve())
    ws.on('error', (e) => reject(e))
  })
  let next = 1
  const waiting = new Map<number, (r: unknown) => void>()
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as { id?: number; result?: unknown }
    if (msg.id && waiting.has(msg.id)) {
      waiting.get(msg.id)?.(msg.result)
      waiting.delete(msg.id)
    }
  })
  const send = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve) => {
      const id = next++
      waiting.set(id, resolve)
      ws.send(JSON.stringify({ id, method, params }))
    })
  await send('Profiler.enable')
  await send('Profiler.setSamplingInterval', { interval: 500 })
  const modules = new Map<string, [number, string][]>()
  const self = new Map<string, number>()
  const files = new Map<string, number>()
  const appCallers = new Map<string, number>()
  const appInclusive = new Map<string, number>()
  const focus = process.env.BENCH_PROFILE_FOCUS ? new RegExp(process.env.BENCH_PROFILE_FOCUS) : null
  const focusCallers = new Map<string, number>()
  // BENCH_PROFILE_UNDER=<regex>: what the samples under a matching app function spent their own time in.
  const under = process.env.BENCH_PROFILE_UNDER ? new RegExp(process.env.BENCH_PROFILE_UNDER) : null
  let sampled = 0
  let idle = 0
  return {
    async start() {
      await send('Profiler.start')
    },
    async stop() {
      const { profile } = (await send('Profiler.stop')) as { profile: Profile }
      const byId = new Map(profile.nodes.map((n) => [n.id, n]))
      // The bundle esbuild made: a `// path/to/module.ts` comment opens each module, so a line maps to its module.
      await send('Debugger.enable')
      for (const scriptId of new Set(profile.nodes.map((n) => n.callFrame.scriptId))) {
        if (modules.has(scriptId) || scriptId === '0') continue
        const { scriptSource } = ((await send('Debugger.getScriptSource', { scriptId })) ?? {}) as {
          scriptSource?: string
        }
        const starts: [number, string][] = []
        ;(scriptSource ?? '').split('\n').forEach((line, i) => {
          const m = /^\/\/ (\S+\.[cm]?[jt]sx?)$/.exec(line)
          if (m) starts.push([i, m[1]!.replace(/^.*node_modules\//, 'node_modules/')])
        })
        modules.set(scriptId, starts)
      }
      await send('Debugger.disable')
      const moduleOf = (scriptId: string, line: number, url: string) => {
        const starts = modules.get(scriptId) ?? []
        let found = url
        for (const [at, name] of starts) {
          if (at > line) break
          found = name
        }
        return found
      }
      const parentOf = new Map<number, ProfileNode>()
      for (const n of profile.nodes) for (const child of n.children ?? []) parentOf.set(child, n)
      const appCaller = (start: ProfileNode) => {
        for (let n: ProfileNode | undefined = start; n; n = parentOf.get(n.id)) {
          const { functionName, url, lineNumber, scriptId } = n.callFrame
          if (!url) continue
          const file = moduleOf(scriptId, lineNumber, url)
          if (/^(worker|durable-objects)\//.test(file)) return `${functionName || '(anonymous)'} ${file}`
        }
        return '(no app frame)'
      }
      const appFrames = (start: ProfileNode) => {
        const seen = new Set<string>()
        for (let n: ProfileNode | undefined = start; n; n = parentOf.get(n.id)) {
          const { functionName, url, lineNumber, scriptId } = n.callFrame
          if (!url) continue
          const file = moduleOf(scriptId, lineNumber, url)
          if (/^(worker|durable-objects)\//.test(file)) seen.add(`${functionName || '(anonymous)'} ${file}`)
        }
        return seen
      }
      const samples = profile.samples ?? []
      const deltas = profile.timeDeltas ?? []
      for (let i = 0; i < samples.length; i++) {
        const node = byId.get(samples[i]!)
        const ms = (deltas[i + 1] ?? 0) / 1000
        if (!node) continue
        sampled += ms
        const { functionName, url, lineNumber } = node.callFrame
        if (functionName === '(idle)' || functionName === '(program)')
          idle += functionName === '(idle)' ? ms : 0
        const file = url ? moduleOf(node.callFrame.scriptId, lineNumber, url) : functionName
        const key = `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`
        self.set(key, (self.get(key) ?? 0) + ms)
        files.set(file, (files.get(file) ?? 0) + ms)
        if (functionName !== '(idle)') {
          const caller = appCaller(node)
          appCallers.set(caller, (appCallers.get(caller) ?? 0) + ms)
          if (under && [...appFrames(node)].some((fn) => under.test(fn)))
            focusCallers.set(key, (focusCallers.get(key) ?? 0) + ms)
          if (focus?.test(key)) {
            const chain = [...appFrames(node)].slice(0, 4).join(' < ')
            focusCallers.set(chain, (focusCallers.get(chain) ?? 0) + ms)
          }
          for (const fn of appFrames(node)) appInclusive.set(fn, (appInclusive.get(fn) ?? 0) + ms)
        }
      }
    },
    summary(top = 25) {
      const busy = Math.max(1, sampled - idle)
      const rank = (m: Map<string, number>) =>
        [...m]
          .filter(([k]) => !k.startsWith('(idle)'))
          .sort((a, b) => b[1] - a[1])
          .slice(0, top)
      return {
        sampledMs: Math.round(sampled),
        idleMs: Math.round(idle),
        topFunctions: rank(self).map(([fn, ms]) => ({
          fn,
          selfMs: Math.round(ms),
          share: Math.round((ms / busy) * 1000) / 10,
        })),
        topFiles: rank(files).map(([file, ms]) => ({
          file,
          selfMs: Math.round(ms),
          share: Math.round((ms / busy) * 1000) / 10,
        })),
        topAppCallers: rank(appCallers).map(([fn, ms]) => ({
          fn,
          selfMs: Math.round(ms),
          share: Math.round((ms / busy) * 1000) / 10,
        })),
        topAppInclusive: rank(appInclusive).map(([fn, ms]) => ({
          fn,
          selfMs: Math.round(ms),
          share: Math.round((ms / busy) * 1000) / 10,
        })),
        ...(focus || under
          ? {
              focusCallers: rank(focusCallers).map(([fn, ms]) => ({
                fn,
                selfMs: Math.round(ms),
                share: Math.round((ms / busy) * 1000) / 10,
              })),
            }
          : {}),
      }
    },
    close() {
      ws.close()
    },
  }
}
