// Admitted / expected at this gate: the server's count per show or site-day at the last sync, plus this
// device's own admissions since, so the number moves with every admission, offline too.
import type { EnrolledDevice } from './store.ts'

export interface Attendance {
  admitted: number
  expected: number
  /** Counted over today's shows or day (false: over the whole scope, nothing in it is today). */
  today: boolean
}

/** Today's part of the scope (all of it when nothing is today); `admitTimes` are this device's admissions (ms). */
export function attendanceOf(
  enrolled: EnrolledDevice,
  admitTimes: number[],
  now: number,
): Attendance | undefined {
  const counted = enrolled.attendance
  if (!counted) return undefined
  const today = new Intl.DateTimeFormat('en-CA', {
    timeZone: enrolled.profile.timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now)
  const todays = enrolled.profile.scope.filter((entry) => entry.day === today).map((entry) => entry.id)
  const ids = new Set(todays.length ? todays : enrolled.profile.scope.map((entry) => entry.id))
  let expected = 0
  let admitted = 0
  for (const entry of counted.entries) {
    if (!ids.has(entry.id)) continue
    expected += entry.expected
    admitted += entry.admitted
  }
  const since = Date.parse(counted.countedAt)
  admitted += admitTimes.filter((at) => at > since).length
  return { admitted, expected, today: todays.length > 0 }
}
