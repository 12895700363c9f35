// The demo presale's fixed ids and codes (worker/demo/presale.ts), apart so the browser tests can name them.

export const demoPresale = {
  event: 'evt_demo_jazz',
  show: 'shw_demo_jazz',
  /** As a buyer may type them (dashes and case do not matter). */
  codes: ['JAZZ-2026-0001', 'JAZZ-2026-0002', 'JAZZ-2026-0003', 'JAZZ-2026-0004', 'JAZZ-2026-0005'],
  usesPerCode: 10,
} as const
