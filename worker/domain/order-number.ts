// The number a buyer quotes for an order (on tickets, messages, at the box office): a prefix, the day it was made
// (UTC, yymmdd) and 10 random digits. Six digits a day gave two orders of one busy day the same number with odds
// of n²/2·10⁶: one collision in three at 800 orders, hundreds in a stadium on-sale, each refused as a conflict.
// With 10 digits the odds are n²/2·10¹⁰ (0.125 at 50,000 orders a day), and the creators draw again on the rare
// collision the unique index still reports (`orderNumberTaken`).

/** The order number for `prefix` (e.g. `ET` for the shop, `OTA` for partners) made at `now` from `random` (two draws). */
export function orderNumber(prefix: string, now: Date, random: Uint32Array): string {
  const day = now.toISOString().slice(2, 10).replaceAll('-', '')
  const five = (n: number) => String(n % 100_000).padStart(5, '0')
  return `${prefix}${day}${five(random[0]!)}${five(random[1]!)}`
}

/** Whether a failed write failed because the order's number is already another order's (draw again). */
export const orderNumberTaken = /UNIQUE constraint failed: orders\.number/
