import type { StandardSchemaV1 } from '@standard-schema/spec'
import type { ValidationTargets } from 'hono'
import { validator } from 'hono-openapi'
import { type FieldError, validationProblem } from './problem.ts'

/** The shape shared by Standard Schema issues and valibot's own issues. */
interface SchemaIssue {
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

/**
 * Validates one part of the request with a valibot schema and registers it in the OpenAPI document.
 * Failures become a `validation` problem listing every bad field, with the request part as path prefix.
 */
export function validate<Target extends keyof ValidationTargets, Schema extends StandardSchemaV1>(
  target: Target,
  schema: Schema,
) {
  return validator(target, schema, (result) => {
    if (!result.success) {
      throw validationProblem(issuesToFieldErrors(result.error as readonly StandardSchemaV1.Issue[], target))
    }
  })
}
