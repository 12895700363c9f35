import { findTargetHandler } from 'hono/utils/handler'
import { uniqueSymbol } from 'hono-openapi'
import { app } from '../../worker/routes/index.ts'

// Every answer a test receives through the test clients is held against what its route declares in the
// OpenAPI document: a 2xx status the route does not declare, a media type it does not declare, or JSON
// that its contract schema refuses fails the request. So a contract cannot drift from what routes answer.

interface DeclaredMedia {
  schema?: { validate?: (value: unknown) => unknown }
}
interface DeclaredResponse {
  content?: Record<string, DeclaredMedia>
}
interface Operation {
  method: string
  path: string
  pattern: RegExp
  params: number
  responses: Record<string, DeclaredResponse>
}

type StandardResult = { value: unknown; issues?: undefined } | { issues: readonly StandardIssue[] }
interface StandardIssue {
  message: string
  path?: readonly (PropertyKey | { key: PropertyKey })[]
}

let operations: Operation[] | undefined

/** The documented operations of the app, from the same `describeRoute` specs the OpenAPI document is made of. */
function documentedOperations(): Operation[] {
  operations ??= app.routes.flatMap((route) => {
    const spec = (
      findTargetHandler(route.handler) as { [uniqueSymbol]?: { spec?: { responses?: unknown } } }
    )[uniqueSymbol]?.spec
    if (!spec || route.method === 'ALL') return []
    const segments = route.path.split('/')
    const pattern = new RegExp(
      `^${segments.map((s) => (s.startsWith(':') ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}/?$`,
    )
    return [
      {
        method: route.method,
        path: route.path,
        pattern,
        params: segments.filter((s) => s.startsWith(':')).length,
        responses: (spec.responses ?? {}) as Record<string, DeclaredResponse>,
      },
    ]
  })
  return operations
}

/** The documented operation that serves a request: the most literal path that matches. */
export function operationFor(method: string, pathname: string): Operation | undefined {
  return documentedOperations()
    .filter((op) => op.method === method.toUpperCase() && op.pattern.test(pathname))
    .sort((a, b) => a.params - b.params)[0]
}

const describeIssues = (issues: readonly StandardIssue[]) =>
  issues
    .slice(0, 8)
    .map((issue) => {
      const path = (issue.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p)).join('.')
      return `${path || '(root)'}: ${issue.message}`
    })
    .join('; ')

/**
 * Throws when a 2xx answer is not what its route declares: an undeclared status or media type, or a JSON body
 * its response schema refuses. Reads a clone, so the caller can still read the answer.
 */
export async function checkDeclaredAnswer(method: string, url: string, res: Response): Promise<void> {
  if (res.status < 200 || res.status >= 300) return
  const pathname = new URL(url).pathname
  const op = operationFor(method, pathname)
  const name = `${method.toUpperCase()} ${op?.path ?? pathname}`
  if (!op) throw new Error(`${name} answered ${res.status} but no documented route serves it`)
  const declared = op.responses[String(res.status)]
  if (!declared)
    throw new Error(`${name} answered ${res.status}, a status its OpenAPI responses do not declare`)
  if (res.status === 204) return
  const mediaType = (res.headers.get('content-type') ?? '').split(';')[0]!.trim()
  const media = declared.content?.[mediaType]
  if (!media)
    throw new Error(
      `${name} answered ${res.status} as ${mediaType || 'no media type'}, which it does not declare`,
    )
  if (mediaType !== 'application/json') return
  const validate = media.schema?.validate
  if (!validate) throw new Error(`${name} ${res.status} declares JSON without a schema`)
  const body = await res.clone().json()
  const result = (await validate(body)) as StandardResult
  if (result.issues) {
    throw new Error(
      `${name} answered ${res.status} with JSON its contract refuses: ${describeIssues(result.issues)}`,
    )
  }
}
