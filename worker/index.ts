export { GroupBuy } from '../durable-objects/group-buy.ts'
export { HoldGateway } from '../durable-objects/hold-gateway.ts'
export { ScenicDayInventory } from '../durable-objects/scenic-day-inventory.ts'
export { ShowInventory } from '../durable-objects/show-inventory.ts'

import type { Bindings } from './env.ts'
import { app } from './routes/index.ts'
import { runScheduledJobs } from './scheduled.ts'

export default {
  fetch: app.fetch,
  async scheduled(_controller, env, ctx) {
    ctx.waitUntil(runScheduledJobs(env))
  },
} satisfies ExportedHandler<Bindings>
