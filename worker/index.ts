import type { Bindings } from './env.ts'
import { app } from './routes/index.ts'

export default { fetch: app.fetch } satisfies ExportedHandler<Bindings>
