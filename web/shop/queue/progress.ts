// The waiting-room page's figures, pure so they are tested directly (test/tools/waiting-room-page.test.ts).

/**
 * How far along the queue the buyer is, 0–100: the share of the people who were ahead of them at their first
 * place that have gone by since (100 once nobody is ahead).
 */
export function progressPercent(firstPosition: number, position: number): number {
  const firstAhead = Math.max(0, firstPosition - 1)
  const ahead = Math.max(0, position - 1)
  if (ahead === 0) return 100
  if (firstAhead === 0) return 0
  return Math.round((100 * Math.max(0, firstAhead - ahead)) / firstAhead)
}

/** The estimate in whole minutes for the page (0: under a minute), or null when there is none yet. */
export function waitMinutes(seconds: number | null): number | null {
  if (seconds === null) return null
  return seconds < 60 ? 0 : Math.round(seconds / 60)
}
