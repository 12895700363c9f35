// The layer rules of the code base and the cycle search, over an import graph that worker/dev/check-imports.ts
// reads from the sources. Pure (paths in, problem lines out) so the rules are unit-tested on small graphs.
//
//   worker/domain (pure) <- durable-objects <- worker/services <- worker/routes;  web imports worker types only.

/** One import: `from` and `to` are repository paths (`worker/services/orders/index.ts`), or `to` is a package. */
export interface ImportEdge {
  from: string
  /** A repository path for a relative import; for a package, the specifier as written (`hono`, `node:fs`). */
  to: string
  /** `to` is a package or a runtime module, not a file of this repository. */
  external?: boolean
  /** `import type` / `export type … from` / `import('…').T` in a type: erased, never loaded at run time. */
  typeOnly: boolean
  line: number
}

const under = (path: string, dir: string) => path.startsWith(dir)

/** Pure helpers outside worker/domain that domain code may use (they touch no binding either). */
export const pureHelpers = ['worker/ids.ts']
const isDomain = (path: string) => under(path, 'worker/domain/') || pureHelpers.includes(path)

/** Why this import breaks a layer rule, or null when it is allowed. */
export function layerViolation(edge: ImportEdge): string | null {
  const { from, to, typeOnly } = edge
  if (under(from, 'worker/domain/')) {
    if (edge.external) {
      return /^(cloudflare|node):/.test(to)
        ? 'worker/domain is pure: no runtime bindings or Node modules'
        : null
    }
    return isDomain(to) ? null : 'worker/domain is pure: it imports only worker/domain'
  }
  if (edge.external) return null
  if (under(from, 'durable-objects/') && (under(to, 'worker/services/') || under(to, 'worker/routes/')))
    return 'actors import domain code and their own contracts, never worker services or routes'
  if (under(from, 'worker/services/') && under(to, 'worker/routes/'))
    return 'services never import routes (move the shared piece down to a service or worker/domain)'
  if ((under(from, 'worker/') || under(from, 'durable-objects/')) && under(to, 'web/'))
    return 'the worker never imports the web apps or their build'
  if (under(from, 'web/') && under(to, 'worker/') && !typeOnly && !isDomain(to))
    return 'web imports worker code only with `import type` (pure worker/domain modules excepted)'
  return null
}

/**
 * Modules whose type-only imports never count towards a cycle: worker/env.ts declares the bindings and
 * per-request variables, so it names every actor class and request service while every layer reads `Env` from it.
 */
export const typeHubs = ['worker/env.ts']

/**
 * Every set of modules that import each other in a circle (strongly connected components, Tarjan's algorithm),
 * each as one shortest cycle through its first module, e.g. `[a, b, a]`, plus the size of the tangle it belongs
 * to. Type-only imports count (they tie modules together as much as any), except those of a type hub.
 */
export function importCycles(
  edges: ImportEdge[],
): { cycle: string[]; modules: number; typeOnlyHops: number[] }[] {
  const next = new Map<string, string[]>()
  const loaded = new Set<string>()
  for (const { from, to, typeOnly, external } of edges) {
    if (external || (typeOnly && typeHubs.includes(to))) continue
    if (!typeOnly) loaded.add(`${from} ${to}`)
    const list = next.get(from) ?? []
    if (!list.includes(to)) list.push(to)
    next.set(from, list)
  }
  for (const list of next.values()) list.sort()
  const nodes = [...new Set([...next.keys(), ...[...next.values()].flat()])].sort()

  let counter = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const components: string[][] = []
  // Iterative, so a long import chain cannot overflow the call stack.
  for (const root of nodes) {
    if (index.has(root)) continue
    const work: { node: string; child: number }[] = [{ node: root, child: 0 }]
    index.set(root, counter)
    low.set(root, counter++)
    stack.push(root)
    onStack.add(root)
    while (work.length) {
      const frame = work[work.length - 1]!
      const children = next.get(frame.node) ?? []
      if (frame.child < children.length) {
        const child = children[frame.child++]!
        if (!index.has(child)) {
          index.set(child, counter)
          low.set(child, counter++)
          stack.push(child)
          onStack.add(child)
          work.push({ node: child, child: 0 })
        } else if (onStack.has(child)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(child)!))
        }
        continue
      }
      work.pop()
      const parent = work[work.length - 1]
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!))
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = []
        let member: string
        do {
          member = stack.pop()!
          onStack.delete(member)
          component.push(member)
        } while (member !== frame.node)
        const selfImport = component.length === 1 && (next.get(frame.node) ?? []).includes(frame.node)
        if (component.length > 1 || selfImport) components.push(component.sort())
      }
    }
  }
  return components
    .map((component) => {
      const cycle = shortestCycle(component[0]!, new Set(component), next)
      // Hops made only of type imports: the modules do not load each other there, but still depend on each other.
      const typeOnlyHops = cycle.slice(1).flatMap((to, i) => (loaded.has(`${cycle[i]} ${to}`) ? [] : [i]))
      return { cycle, modules: component.length, typeOnlyHops }
    })
    .sort((a, b) => (a.cycle[0]! < b.cycle[0]! ? -1 : 1))
}

/** Breadth-first from `start` back to itself, inside one component. */
function shortestCycle(start: string, members: Set<string>, next: Map<string, string[]>): string[] {
  const cameFrom = new Map<string, string>()
  const queue = [start]
  while (queue.length) {
    const node = queue.shift()!
    for (const child of next.get(node) ?? []) {
      if (!members.has(child)) continue
      if (child === start) {
        const chain: string[] = []
        for (let at = node; at !== start; at = cameFrom.get(at)!) chain.unshift(at)
        return [start, ...chain, start]
      }
      if (!cameFrom.has(child)) {
        cameFrom.set(child, node)
        queue.push(child)
      }
    }
  }
  return [start, start]
}

/** Every problem of the graph, one line each: layer violations first (by file and line), then cycles. */
export function importProblems(edges: ImportEdge[]): string[] {
  const violations = edges
    .map((edge) => ({ edge, why: layerViolation(edge) }))
    .filter((found): found is { edge: ImportEdge; why: string } => found.why !== null)
    .sort((a, b) =>
      a.edge.from === b.edge.from ? a.edge.line - b.edge.line : a.edge.from < b.edge.from ? -1 : 1,
    )
    .map(({ edge, why }) => `${edge.from}:${edge.line}: imports ${edge.to}: ${why}`)
  const cycles = importCycles(edges).map(({ cycle, modules, typeOnlyHops }) => {
    const hop = (i: number) => (typeOnlyHops.includes(i) ? ' -(type)-> ' : ' -> ')
    const path = cycle.map((module, i) => (i === 0 ? module : `${hop(i - 1)}${module}`)).join('')
    const tangle = modules > cycle.length - 1 ? ` (${modules} modules in this tangle, one circle shown)` : ''
    return `import cycle${tangle}: ${path}`
  })
  return [...violations, ...cycles]
}
