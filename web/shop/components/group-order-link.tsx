// On an order's page: when this device placed the order for a group buy, say so and link back to the group
// (a paid member's order waits, still pending, until the group succeeds).
import { Link } from '../../lib/router.tsx'
import { groupBuyMessages } from './group-buy-messages.ts'
import { groupOfOrder } from './group-membership.ts'

export function GroupOrderLink({ orderId }: { orderId: string }) {
  const t = groupBuyMessages.useT()
  const membership = groupOfOrder(orderId)
  if (!membership) return null
  return (
    <p class="alert alert-info" data-testid="order-group">
      {t('orderOfGroup')}{' '}
      <Link href={`/group-buys/${encodeURIComponent(membership.groupId)}`}>{t('backToGroup')}</Link>
    </p>
  )
}
