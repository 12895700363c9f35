// What each problem `code` the server can answer with means, in both languages. Pages show this text rather than
// the server's English title and detail; the detail is only a fallback for a code this table does not know yet
// (a newer server). The table is typed by worker/problem.ts's registry, so a new code fails the type check here.
import type { KnownProblemCode } from '../../worker/problem.ts'
import { ApiError } from './api.ts'
import type { Locale } from './i18n.ts'

/** Codes the client itself makes (no answer, or an answer that was not problem+json). */
type ClientProblemCode = 'network' | 'http_error'
type ProblemCode = KnownProblemCode | ClientProblemCode

const en: Record<ProblemCode, string> = {
  validation: 'Some details are missing or not valid. Check the fields marked below.',
  unauthorized: 'Please sign in first.',
  forbidden: 'Your role does not allow this.',
  not_found: 'We could not find that. It may have been removed.',
  method_not_allowed: 'That action is not possible here.',
  conflict: 'That clashes with a change made meanwhile. Reload and try again.',
  payload_too_large: 'That file or text is too large.',
  unsupported_media_type: 'That file type is not supported.',
  rate_limited: 'Too many tries in a short time. Wait a moment and try again.',
  internal: 'Something went wrong on our side. Try again in a moment.',
  inventory_busy: 'Many people are buying right now. Try again in a few seconds.',
  misconfigured: 'This service is not set up correctly. Please tell the organizer.',
  seats_unavailable: 'Some of those seats were just taken. Pick others.',
  seats_not_together: 'Not enough seats side by side in that zone. Pick seats on the map, or sit apart.',
  seats_not_priced: 'Those seats are not for sale.',
  sold_out: 'Sold out.',
  // waiting room (issue 22)
  admission_required:
    'This on-sale has a waiting room. Join the queue first; you can choose seats once it is your turn.',
  challenge_failed: 'The check that you are not a robot did not pass. Try it again.',
  queue_id_taken: 'This ID number already has a place in the queue.',
  queue_off: 'This sale has no waiting room.',
  // box office (issue 24)
  shift_open: 'You already have an open shift. Close it before opening another.',
  shift_required: 'Open a shift first: sales and refunds are counted in your shift.',
  payment_declined: 'The payment was declined. Ask for another payment code or another way to pay.',
  payment_code_unsupported: 'This payment provider cannot charge payment codes. Take cash or card.',
  tender_short: 'The cash handed over is less than the total.',
  ticket_not_reprintable:
    'This ticket cannot be reprinted: it was refunded, reprinted already or used at a gate.',
  buyer_limit: 'That is more tickets than one buyer may have.',
  hold_limit: 'You already hold as many tickets as one may at once. Finish or release a hold first.',
  viewer_limit: 'Too many people are watching this seat map right now. It will update again shortly.',
  sign_in_required: 'Sign in to buy tickets for this sale.',
  not_on_sale: 'Not on sale right now.',
  presale_code_invalid: 'That presale code is not valid for this show. Check it and try again.',
  presale_code_used_up: 'That presale code has been used as many times as it may.',
  parent_ticket_required: 'Buy the gate ticket first: this ticket goes with a gate ticket for the same day.',
  not_eligible: 'This visitor cannot have that ticket: the age from the ID number does not fit it.',
  hold_not_found: 'Your selection is no longer held. Pick again.',
  hold_expired: 'Your hold has expired. Pick again.',
  children_unused: 'Refund the tickets that depend on this one (e.g. the cable car) first.',
  order_mismatch: 'That selection belongs to another order.',
  invalid_request: 'That request is not valid. Reload the page and try again.',
  refund_not_allowed: 'This order cannot be refunded now.',
  refund_rejected: 'The refund was refused.',
  rebook_pending: 'These tickets are being changed to another performance. Pay for it or let it lapse first.',
  price_missing: 'These tickets have no price yet, so they cannot be ordered.',
  coupon_invalid: 'That coupon code does not exist. Check it and try again.',
  coupon_not_applicable: 'This coupon does not apply to these tickets.',
  coupon_expired: 'This coupon is not valid now.',
  coupon_exhausted: 'This offer has been used up.',
  coupon_limit_reached: 'You have already used this coupon as many times as it allows.',
  discount_not_combinable: 'Coupons and points cannot be used for this purchase.',
  points_insufficient: 'You do not have enough points for that.',
  compensation_not_offered: 'This refund offers no coupon; refund without one.',
  not_in_group_buy: 'Those seats are not part of the group buy.',
  already_member: 'You are already in this group.',
  group_closed: 'This group is no longer taking members.',
  group_full: 'This group is full.',
  group_succeeded: 'The group has succeeded; refund the order instead.',
  // 定金 deposit presale
  deposit_not_offered: 'These tickets cannot be bought with a deposit. Pay in full instead.',
  balance_window_closed: 'The balance cannot be paid right now; see its dates.',
  enrollment_code_invalid: 'That enrollment code is unknown, used or expired. Ask for a new one.',
  invitation_invalid: 'This invitation link is unknown, already used or expired. Ask for a new one.',
  already_redeemed: 'This ticket was already admitted.',
  csrf_rejected: 'For your safety this request was refused. Reload the page and try again.',
  idempotency_key_reused: 'That action was already sent with different details. Reload and try again.',
  bad_signature: 'The request signature was not accepted.',
  unknown_key: 'No partner has this key.',
  partner_disabled: 'This partner is disabled.',
  replayed_request: 'This request was already received.',
  stale_request: 'The request is too old or its clock is off. Send it again.',
  partner_order_id_reused: 'That partner order id was already used for another order.',
  product_not_available: 'Not sold through this channel.',
  reservation_already_booked: 'This reservation was booked under another order.',
  reservation_expired: 'The reservation expired before it was booked. Reserve again.',
  network: 'No connection. Check your network and try again.',
  http_error: 'The server could not answer. Try again in a moment.',
}

const zh: Record<ProblemCode, string> = {
  validation: '有信息缺失或格式不正确，请检查下方标出的项目。',
  unauthorized: '请先登录。',
  forbidden: '您的角色无权执行此操作。',
  not_found: '未找到相关内容，可能已被删除。',
  method_not_allowed: '此处不能执行该操作。',
  conflict: '数据已被他人更新，请刷新后重试。',
  payload_too_large: '文件或内容过大。',
  unsupported_media_type: '不支持该文件类型。',
  rate_limited: '操作过于频繁，请稍候再试。',
  internal: '系统出错了，请稍后再试。',
  inventory_busy: '当前购票人数较多，请几秒后再试。',
  misconfigured: '服务配置有误，请联系主办方。',
  seats_unavailable: '部分座位刚被他人选走，请重新选择。',
  seats_not_together: '该票档没有足够的连座。请在座位图上选座，或接受分开就座。',
  seats_not_priced: '这些座位不对外销售。',
  sold_out: '已售罄。',
  // 排队（issue 22）
  admission_required: '本场开售需排队，请先进入排队，轮到您后即可选座。',
  challenge_failed: '人机验证未通过，请重试。',
  queue_id_taken: '该证件号已在排队中。',
  queue_off: '本场无需排队。',
  // 售票窗口（issue 24）
  shift_open: '您已有一个未结束的班次，请先交班再开新班。',
  shift_required: '请先开班：售票和退票都记入您的班次。',
  payment_declined: '支付被拒绝，请让顾客换一个付款码或换一种支付方式。',
  payment_code_unsupported: '当前支付渠道不支持付款码，请收现金或刷卡。',
  tender_short: '实收现金少于应收金额。',
  ticket_not_reprintable: '此票不能补打：已退票、已补打过或已在闸机核销。',
  buyer_limit: '超过每位购票人的限购数量。',
  hold_limit: '您当前锁定的票已达上限，请先完成或释放已有的锁定。',
  viewer_limit: '当前查看座位图的人数过多，稍后会自动刷新。',
  sign_in_required: '本场需登录后购票。',
  not_on_sale: '当前未开售。',
  presale_code_invalid: '优先购码无效，请核对后重试。',
  presale_code_used_up: '该优先购码的使用次数已用完。',
  parent_ticket_required: '请先购买门票：此票需搭配当天的门票使用。',
  not_eligible: '该游客不符合此票种的条件：按身份证号计算的年龄不符。',
  hold_not_found: '所选座位或门票已不再锁定，请重新选择。',
  hold_expired: '锁定已过期，请重新选择。',
  children_unused: '请先退依赖此票的附加票（如索道票）。',
  order_mismatch: '所选内容属于另一个订单。',
  invalid_request: '请求无效，请刷新页面后重试。',
  refund_not_allowed: '此订单当前不可退票。',
  refund_rejected: '退款被拒绝。',
  rebook_pending: '这些票正在改签中，请先完成支付或等待改签失效。',
  price_missing: '这些票尚未定价，暂不能下单。',
  coupon_invalid: '优惠码不存在，请检查后重试。',
  coupon_not_applicable: '此优惠券不适用于所选票品。',
  coupon_expired: '此优惠券不在有效期内。',
  coupon_exhausted: '此优惠已被领完或用完。',
  coupon_limit_reached: '您已达到此优惠券的使用次数上限。',
  discount_not_combinable: '本次购买不能使用优惠券或积分。',
  points_insufficient: '积分不足。',
  compensation_not_offered: '本次退款不提供补偿券，请直接退款。',
  not_in_group_buy: '这些座位不参加本次团购。',
  already_member: '您已在这个团中。',
  group_closed: '该团已停止加入。',
  group_full: '该团人数已满。',
  group_succeeded: '该团已成团，如需取消请申请退款。',
  // 定金 deposit presale
  deposit_not_offered: '所选票品不支持定金预售，请全款支付。',
  balance_window_closed: '当前不在尾款支付时间内，请查看支付时间。',
  enrollment_code_invalid: '登记码无效、已使用或已过期，请重新获取。',
  invitation_invalid: '邀请链接无效、已使用或已过期，请重新获取。',
  already_redeemed: '此票已核验入场。',
  csrf_rejected: '出于安全考虑，此请求被拒绝。请刷新页面后重试。',
  idempotency_key_reused: '该操作已以不同内容提交过，请刷新后重试。',
  bad_signature: '请求签名未通过验证。',
  unknown_key: '没有合作方使用此密钥。',
  partner_disabled: '该合作方已停用。',
  replayed_request: '该请求已收到过。',
  stale_request: '请求已过时或时间不准，请重新发送。',
  partner_order_id_reused: '该合作方订单号已用于其他订单。',
  product_not_available: '该渠道不销售此产品。',
  reservation_already_booked: '该预留已在另一个订单中下单。',
  reservation_expired: '预留已过期，请重新预留。',
  network: '网络未连接，请检查网络后重试。',
  http_error: '服务器暂时无法响应，请稍后再试。',
}

/** The tables themselves, for the completeness test and for apps that list codes. */
export const problemTexts: Record<Locale, Record<ProblemCode, string>> = { en, 'zh-CN': zh }

/** Generic line for an error that is not an API problem at all. */
const unexpected: Record<Locale, string> = { en: 'Something went wrong.', 'zh-CN': '出错了。' }

/**
 * What to tell the user about a failed call, in `locale`: the text for its code, or (a code this client does not
 * know) the server's detail or title; `known` says which, so a page can add the detail when it is all there is.
 */
export function problemMessage(error: unknown, locale: Locale): { text: string; known: boolean } {
  if (!(error instanceof ApiError)) return { text: unexpected[locale], known: false }
  const text = (problemTexts[locale] as Record<string, string | undefined>)[error.code]
  if (text) return { text, known: true }
  return { text: error.problem.detail ?? error.problem.title ?? unexpected[locale], known: false }
}
