// The buyer's membership at checkout: the tier badge (a link to the member page), the member discount and a
// points toggle, with the price worked out here from the rules the member route answers (the same pure rules the
// server applies: percentOf, usablePoints), so the total shown is the total charged.
import { percentOf } from '../../../worker/domain/checkout-discounts.ts'
import { pointsValue, redeemCap, usablePoints } from '../../../worker/domain/points-ledger.ts'
import { useLocale } from '../../lib/i18n.ts'
import { Link } from '../../lib/router.tsx'
import { memberMessages } from '../pages/member-messages.ts'
import type { MemberPage, MemberTier } from '../types.ts'

export const tierLabel = (tier: MemberTier, locale: string) => (locale === 'en' && tier.nameEn) || tier.name

/** What the member discount and `points` points take off `total` (both null-safe). */
export function memberPrice(member: MemberPage | null | undefined, total: number, usePoints: boolean) {
  const memberOff = member?.tier ? percentOf(total, member.tier.discountPercent) : 0
  const rest = total - memberOff
  const rules = member?.rules
  const usable = rules && member ? usablePoints(member.points.balance, rest, rules) : 0
  const pointsOff =
    usePoints && rules && usable > 0 ? Math.min(pointsValue(usable, rules), redeemCap(rest, rules)) : 0
  return { memberOff, usable, points: usePoints ? usable : 0, pointsOff, total: rest - pointsOff }
}

export function MemberCheckout(props: {
  member: MemberPage
  total: number
  usePoints: boolean
  onUsePoints: (use: boolean) => void
  money: (minor: number) => string
  disabled: boolean
}) {
  const t = memberMessages.useT()
  const locale = useLocale()
  const { member, money } = props
  const price = memberPrice(member, props.total, true)
  return (
    <div class="stack" data-testid="member-checkout">
      {member.tier && (
        <p class="row spread">
          <Link href={`/member/${encodeURIComponent(member.organizerId)}`}>
            <span class="badge badge-tier" data-testid="member-badge">
              {t('member_badge', { tier: tierLabel(member.tier, locale) })}
            </span>
          </Link>
          {member.rules && (
            <span class="muted small">{t('member_youHave', { points: member.points.balance })}</span>
          )}
        </p>
      )}
      {!props.disabled && price.usable > 0 && (
        <label class="row">
          <input
            type="checkbox"
            data-testid="use-points"
            checked={props.usePoints}
            onChange={(e) => props.onUsePoints((e.target as HTMLInputElement).checked)}
          />
          <span>{t('member_usePoints', { points: price.usable, amount: money(price.pointsOff) })}</span>
        </label>
      )}
    </div>
  )
}

/** The member discount and points lines above the total. */
export function MemberPriceRows(props: {
  member: MemberPage | null
  priced: ReturnType<typeof memberPrice>
  money: (minor: number) => string
}) {
  const t = memberMessages.useT()
  const locale = useLocale()
  const { member, priced, money } = props
  return (
    <>
      {priced.memberOff > 0 && member?.tier && (
        <p class="row spread price-discount">
          <span>{t('member_memberDiscount', { tier: tierLabel(member.tier, locale) })}</span>
          <span data-testid="checkout-member-discount">−{money(priced.memberOff)}</span>
        </p>
      )}
      {priced.pointsOff > 0 && (
        <p class="row spread price-discount">
          <span>{t('member_pointsOff')}</span>
          <span data-testid="checkout-points-discount">−{money(priced.pointsOff)}</span>
        </p>
      )}
    </>
  )
}
export { MemberPage } from '../pages/member.tsx'
