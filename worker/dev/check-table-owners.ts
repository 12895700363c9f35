// `npm run check`: every table has one writer. The money tables (orders, their lines, payments, refunds, tickets,
// the audit trail and what gates sync of revocations) are written only by worker/services/orders/; this check fails
// when any other file inserts into, updates or deletes from them, through drizzle or raw SQL.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

const owners: { dir: string; tables: Record<string, string> }[] = [
  {
    dir: 'worker/services/orders/',
    tables: {
      orders: 'orders',
      orderLines: 'order_lines',
      orderDiscounts: 'order_discounts',
      payments: 'payments',
      refunds: 'refunds',
      refundAllocations: 'refund_allocations',
      orderDeposits: 'order_deposits',
      tickets: 'tickets',
      auditEvents: 'audit_events',
      ticketRevocations: 'ticket_revocations',
      paymentNotifications: 'payment_notifications',
      batchGuards: 'batch_guards',
    },
  },
  {
    dir: 'worker/services/coupons/',
    tables: {
      coupons: 'coupons',
      couponCodes: 'coupon_codes',
      couponRedemptions: 'coupon_redemptions',
      refundCompensations: 'refund_compensations',
    },
  },
  {
    dir: 'worker/services/distribution/',
    tables: {
      distributionSettings: 'distribution_settings',
      distributors: 'distributors',
      distributionLinks: 'distribution_links',
      distributionClicks: 'distribution_clicks',
      commissionRules: 'commission_rules',
      distributionAttributions: 'distribution_attributions',
      commissions: 'commissions',
      distributionPayouts: 'distribution_payouts',
      referralInvites: 'referral_invites',
      referralVisits: 'referral_visits',
      referralRewards: 'referral_rewards',
    },
  },
  {
    dir: 'worker/services/analytics/',
    tables: {
      analyticsEvents: 'analytics_events',
      analyticsDaily: 'analytics_daily',
      analyticsPendingVisitors: 'analytics_pending_visitors',
      analyticsVisitorDaily: 'analytics_visitor_daily',
      analyticsBuyers: 'analytics_buyers',
      analyticsBuyerMonths: 'analytics_buyer_months',
      analyticsScenicApplied: 'analytics_scenic_applied',
      analyticsOrderProducts: 'analytics_order_products',
      analyticsSecondaryDaily: 'analytics_secondary_daily',
      analyticsCopurchaseDaily: 'analytics_copurchase_daily',
      analyticsAttendanceDaily: 'analytics_attendance_daily',
      analyticsCheckinHourly: 'analytics_checkin_hourly',
      analyticsSalesDaily: 'analytics_sales_daily',
      analyticsSalesMonthly: 'analytics_sales_monthly',
      analyticsTrafficDaily: 'analytics_traffic_daily',
      analyticsTrafficMonthly: 'analytics_traffic_monthly',
      analyticsBuyerTypeDaily: 'analytics_buyer_type_daily',
      analyticsBuyerTypeMonthly: 'analytics_buyer_type_monthly',
      analyticsVisitorMonthly: 'analytics_visitor_monthly',
      analyticsCopurchaseMonthly: 'analytics_copurchase_monthly',
      analyticsCohortCounts: 'analytics_cohort_counts',
    },
  },
  {
    dir: 'worker/services/members/',
    tables: {
      memberTiers: 'member_tiers',
      memberPointsRules: 'member_points_rules',
      memberProfiles: 'member_profiles',
      memberPoints: 'member_points',
    },
  },
  {
    dir: 'worker/services/messages/',
    tables: { outgoingMessages: 'outgoing_messages' },
  },
  {
    dir: 'worker/services/box-office/',
    tables: { boxOfficeShifts: 'box_office_shifts', boxOfficeEntries: 'box_office_entries' },
  },
  {
    dir: 'worker/services/waiting-room/',
    tables: { waitingRooms: 'waiting_rooms' },
  },
  {
    // A route may carry the key's claim in its own batch (idempotentInBatch), but the statements are built here.
    dir: 'worker/middleware/idempotency.ts',
    tables: { idempotencyKeys: 'idempotency_keys' },
  },
  {
    dir: 'worker/services/kiosks/',
    tables: {
      kioskEnrollmentCodes: 'kiosk_enrollment_codes',
      kioskDevices: 'kiosk_devices',
      kioskAlerts: 'kiosk_alerts',
    },
  },
]

const root = join(import.meta.dirname, '..', '..')
function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(join(root, dir))) {
    const path = join(dir, name)
    if (statSync(join(root, path)).isDirectory()) yield* sources(path)
    else if (/\.tsx?$/.test(name)) yield path
  }
}

const faults: string[] = []
for (const file of [...sources('worker'), ...sources('durable-objects')]) {
  const text = readFileSync(join(root, file), 'utf8')
  for (const { dir, tables } of owners) {
    if (relative(dir, file).startsWith('..') === false) continue
    for (const [symbol, table] of Object.entries(tables)) {
      const drizzle = new RegExp(`\\.(insert|update|delete)\\(\\s*${symbol}\\b`)
      const raw = new RegExp(`\\b(INSERT\\s+INTO|UPDATE|DELETE\\s+FROM)\\s+[\`"]?${table}\\b`, 'i')
      text.split('\n').forEach((line, i) => {
        if (drizzle.test(line) || raw.test(line))
          faults.push(`${file}:${i + 1}: writes ${table}, which only ${dir} may write`)
      })
    }
  }
}
if (faults.length) {
  console.error(faults.join('\n'))
  process.exit(1)
}
