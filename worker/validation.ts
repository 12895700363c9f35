import type { StandardSchemaV1 } from '@standard-schema/spec'
import type { ValidationTargets } from 'hono'
import { validator } from 'hono-openapi'
import { issuesToFieldErrors } from './domain/field-errors.ts'
import { validationProblem } from './problem.ts'

export { issuePath, issuesToFieldErrors } from './domain/field-errors.ts'

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
