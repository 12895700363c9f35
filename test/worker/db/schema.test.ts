import { describe, expect, it } from 'vitest'
import * as analytics from '../../../worker/db/schema/analytics.ts'
import * as analyticsReports from '../../../worker/db/schema/analytics-reports.ts'
import * as analyticsScenic from '../../../worker/db/schema/analytics-scenic.ts'
import * as boxOffice from '../../../worker/db/schema/box-office.ts'
import * as catalogue from '../../../worker/db/schema/catalogue.ts'
import * as coupons from '../../../worker/db/schema/coupons.ts'
import * as distribution from '../../../worker/db/schema/distribution.ts'
import * as gates from '../../../worker/db/schema/gates.ts'
import * as groupBuys from '../../../worker/db/schema/group-buys.ts'
import * as kiosks from '../../../worker/db/schema/kiosks.ts'
import * as members from '../../../worker/db/schema/members.ts'
import * as orders from '../../../worker/db/schema/orders.ts'
import * as partners from '../../../worker/db/schema/partners.ts'
import * as staff from '../../../worker/db/schema/staff.ts'
import * as waitingRooms from '../../../worker/db/schema/waiting-rooms.ts'
import * as webhooks from '../../../worker/db/schema/webhooks.ts'
import * as schema from '../../../worker/db/schema.ts'

// drizzle-kit reads every file of worker/db/schema/ while the code imports the barrel: a table missing from the
// barrel would get its migration yet be unreachable under the name every module imports.
const areas = {
  analytics,
  analyticsReports,
  analyticsScenic,
  boxOffice,
  catalogue,
  coupons,
  distribution,
  gates,
  groupBuys,
  kiosks,
  members,
  orders,
  partners,
  staff,
  waitingRooms,
  webhooks,
}

describe('the D1 schema barrel', () => {
  it('re-exports every table and value of every area file, and nothing else', () => {
    const fromAreas = new Map<string, unknown>()
    for (const [area, module] of Object.entries(areas)) {
      for (const [name, value] of Object.entries(module)) {
        expect(fromAreas.has(name), `${name} is exported by two areas (again in ${area})`).toBe(false)
        fromAreas.set(name, value)
      }
    }
    const barrel = Object.entries(schema)
    expect(barrel.map(([name]) => name).sort()).toEqual([...fromAreas.keys()].sort())
    for (const [name, value] of barrel) expect(value, name).toBe(fromAreas.get(name))
    // The areas hold every table there is (102 as of migration 0036: coupons 4, distribution 11, members 4, waiting
    // rooms 1, analytics 6, analytics-scenic 6, analytics-reports 9, box office 2, kiosks 3).
    const tables = [...fromAreas.values()].filter(
      (value) => typeof value === 'object' && value !== null && Symbol.for('drizzle:IsDrizzleTable') in value,
    )
    expect(tables.length).toBe(102)
  })
})
