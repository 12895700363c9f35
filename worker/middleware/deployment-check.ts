import { createMiddleware } from 'hono/factory'
import { deploymentProblems } from '../deployment.ts'
import type { AppEnv } from '../env.ts'
import { Problem } from '../problem.ts'

const checked = new WeakMap<object, string[]>()

/**
 * Refuses to serve a deployment that could not take real money safely (no real payment provider, missing secrets):
 * every request answers 503 `misconfigured` naming what is missing (never a secret's value), and the worker logs
 * it. Checked once per isolate and bindings object.
 */
export const deploymentCheck = createMiddleware<AppEnv>(async (c, next) => {
  let problems = checked.get(c.env)
  if (!problems) {
    problems = deploymentProblems(c.env)
    checked.set(c.env, problems)
    if (problems.length) c.get('logger').error('deployment misconfigured', { problems })
  }
  if (problems.length) {
    throw new Problem({
      code: 'misconfigured',
      status: 503,
      title: 'Deployment misconfigured',
      detail: `This deployment cannot sell until it is configured: ${problems.join('; ')}`,
      extensions: { problems },
    })
  }
  await next()
})
