import type { Database } from '../db/client.ts'
import { ensureKiosk } from '../services/kiosks/devices.ts'
import { recordHeartbeat } from '../services/kiosks/health.ts'
import { demoIds } from './demo-data.ts'

// A self-service kiosk at the mountain's east gate, as the console shows one: enrolled, its last heartbeat saying
// the paper is low (so a `paper_low` alert is open); no real kiosk beats for it, so the cron reports it silent a
// few minutes later. A working kiosk is one browser away: a code from the console's Kiosks page, then
// `/kiosk?enroll=<code>`.

export const demoKiosk = { id: 'kdv_demo_east_gate', name: '东门自助机' } as const

export async function seedDemoKiosk(db: Database, now: Date) {
  const kiosk = { ...demoKiosk, organizerId: demoIds.organizer, siteId: demoIds.scenicSite }
  if (!(await ensureKiosk(db, kiosk))) return
  await recordHeartbeat(
    db,
    kiosk,
    { appVersion: '1.0.0', printerState: 'paper_low', paperLevel: 12, errors: [] },
    now,
  )
}
