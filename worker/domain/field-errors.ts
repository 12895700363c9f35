// One bad field of a request or an imported file, as a `validation` problem lists it (worker/problem.ts).
// Pure, so the seat-chart import (domain) and request validation (worker/validation.ts) share it.

export interface FieldError {
  path: string
  message: string
  /** Row number (1-based, data rows) for bulk inputs such as seat-map imports. */
  row?: number
}

/** The shape shared by Standard Schema issues and valibot's own issues. */
export interface SchemaIssue {
  readonly message: string
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: unknown }> | undefined
}

export function issuePath(issue: SchemaIssue): string {
  return (issue.path ?? [])
    .map((segment) =>
      typeof segment === 'object' && segment !== null ? String(segment.key) : String(segment),
    )
    .join('.')
}

export function issuesToFieldErrors(issues: readonly SchemaIssue[], prefix = ''): FieldError[] {
  return issues.map((issue) => {
    const path = issuePath(issue)
    return { path: prefix && path ? `${prefix}.${path}` : prefix || path, message: issue.message }
  })
}
