// When a route's capture reaches the store after the order it is about was paid (the queue takes seconds; a buyer
// paying with a saved method, or a test, can be faster), the paid subscriber found no `order` event and recorded the
// order as `direct` / `unknown`, and found no staged visitors. These statements, in the late capture's own batch,
// put that right:
// - re-attribution: each event of the order recorded without a source (paid, refund, rebook, redemption) gets a
//   correction pair, `undo:<id>` (the same row, measures negated, events −1) and `redo:<id>` (the same row under the
//   order event's source and device); both roll up like any event, so every rollup moves the order from `direct` to
//   its source. Their ids are fixed by the event they correct, so a redelivery or a second capture adds nothing.
// - late visitors: the visitors a late hold or order event stages are folded at once into the visitor rollups of
//   the paid day (the paid event's), and unstaged, as the paid event would have done.
const copyColumns =
  'id, organizer_id, kind, occurred_at, day, event_id, show_id, site_id, product_id, category, channel, source, ' +
  'referrer_host, utm_source, utm_medium, utm_campaign, ref, device, order_id, hold_id, buyer_key, buyer_type, ' +
  'events, orders, tickets, amount'

/** The kinds of the corrections below (the store rolls them up in the same batch). */
export const correctedKinds = ['paid', 'refund', 'rebook', 'redemption'] as const

/** Earlier events of orders whose `order` event is new in this batch and brings the source they lacked. */
const unattributed = `FROM analytics_events o JOIN analytics_events p ON p.order_id = o.order_id
  WHERE o.rolled = 0 AND o.kind = 'order' AND o.order_id IS NOT NULL
    AND (o.source <> 'direct' OR o.device <> 'unknown')
    AND p.rolled = 1 AND p.kind IN (${correctedKinds.map((k) => `'${k}'`).join(', ')})
    AND p.source = 'direct' AND p.device = 'unknown'
    AND p.id NOT LIKE 'undo:%' AND p.id NOT LIKE 'redo:%'`

export const reattributeLatePaid = [
  `INSERT INTO analytics_events (${copyColumns})
   SELECT 'undo:' || p.id, p.organizer_id, p.kind, p.occurred_at, p.day, p.event_id, p.show_id, p.site_id,
     p.product_id, p.category, p.channel, p.source, p.referrer_host, p.utm_source, p.utm_medium, p.utm_campaign,
     p.ref, p.device, p.order_id, NULL, NULL, p.buyer_type, -p.events, -p.orders, -p.tickets, -p.amount
   ${unattributed}
   ON CONFLICT (id) DO NOTHING`,
  `INSERT INTO analytics_events (${copyColumns})
   SELECT 'redo:' || p.id, p.organizer_id, p.kind, p.occurred_at, p.day, p.event_id, p.show_id, p.site_id,
     p.product_id, p.category, p.channel, o.source, o.referrer_host, o.utm_source, o.utm_medium, o.utm_campaign,
     o.ref, o.device, p.order_id, NULL, NULL, p.buyer_type, p.events, p.orders, p.tickets, p.amount
   ${unattributed}
   ON CONFLICT (id) DO NOTHING`,
]

/** Staged visitors of holds named by this batch's new events whose paid event is already stored. */
const latePaid = `FROM analytics_pending_visitors v
  JOIN analytics_events p ON p.hold_id = v.hold_id AND p.kind = 'paid' AND p.rolled = 1 AND p.orders = 1
  WHERE v.hold_id IN (SELECT hold_id FROM analytics_events WHERE rolled = 0 AND hold_id IS NOT NULL)`

export const foldLateVisitors = [
  `INSERT INTO analytics_visitor_daily (organizer_id, day, event_id, show_id, site_id, province, city, age_band, visitors)
   SELECT p.organizer_id, p.day, p.event_id, p.show_id, p.site_id, v.province, v.city, v.age_band, count(*)
   ${latePaid}
   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
   ON CONFLICT (organizer_id, day, event_id, show_id, site_id, province, city, age_band)
   DO UPDATE SET visitors = visitors + excluded.visitors`,
  `INSERT INTO analytics_visitor_monthly
     (organizer_id, month, event_id, show_id, site_id, province, city, age_band, visitors)
   SELECT p.organizer_id, substr(p.day, 1, 7), p.event_id, p.show_id, p.site_id, v.province, v.city, v.age_band,
     count(*)
   ${latePaid}
   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
   ON CONFLICT (organizer_id, month, event_id, show_id, site_id, province, city, age_band)
   DO UPDATE SET visitors = visitors + excluded.visitors`,
  `DELETE FROM analytics_pending_visitors WHERE hold_id IN (SELECT v.hold_id ${latePaid})`,
]
