// A group's progress toward its minimum of paid members (bar + the same in words) and the countdown to its deadline.
import { useNow } from '../../lib/ui.tsx'
import { formatLongCountdown, groupBuyMessages } from './group-buy-messages.ts'
import type { OpenGroup } from './group-membership.ts'

export function GroupProgress({ group }: { group: OpenGroup }) {
  const t = groupBuyMessages.useT()
  const now = useNow()
  const words = t('groupProgress', { paid: group.paidCount, min: group.minSize })
  const remaining = Date.parse(group.deadline) - now
  return (
    <div class="group-progress stack" data-testid="group-progress" data-paid={group.paidCount}>
      <div
        class="progress-track"
        role="progressbar"
        aria-label={t('groupBuy')}
        aria-valuemin={0}
        aria-valuemax={group.minSize}
        aria-valuenow={Math.min(group.paidCount, group.minSize)}
        aria-valuetext={words}
      >
        <div class="progress-fill" style={{ width: `${group.progress}%` }} />
      </div>
      <p class="row spread small">
        <strong data-testid="group-progress-text">{words}</strong>
        <span>
          {t('joinedCount', {
            count: group.memberCount,
            left: Math.max(0, group.maxSize - group.memberCount),
          })}
        </span>
      </p>
      <p class="row spread small">
        {group.status === 'open' && group.needed > 0 && <span>{t('needMore', { count: group.needed })}</span>}
        <span data-testid="group-countdown">
          {group.status === 'open' && remaining > 0
            ? t('closesIn', { time: formatLongCountdown(remaining) })
            : group.status === 'open'
              ? t('closed')
              : null}
        </span>
      </p>
    </div>
  )
}
