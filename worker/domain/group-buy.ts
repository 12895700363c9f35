// Pure rules of a group buy (团购), shared by the worker, the group's actor and the shop.

/** When a group started at `now` closes: its lifetime, but never after the show stops selling. */
export function groupDeadline(now: number, lifetimeMinutes: number, saleEndsAt: string): Date {
  return new Date(Math.min(now + lifetimeMinutes * 60_000, Date.parse(saleEndsAt)))
}

/** Where a group is shared (link and QR code): the shop's page for it. */
export function groupShareUrl(origin: string, groupId: string): string {
  return `${origin}/group-buys/${encodeURIComponent(groupId)}`
}

/** Progress toward success: paid members over the minimum, as a whole percentage capped at 100. */
export function groupProgress(paid: number, minSize: number): number {
  if (minSize <= 0) return 100
  return Math.min(100, Math.floor((paid * 100) / minSize))
}
