// Before the general sale: which presale is on (or next), for whom (presale code holders, members), until when,
// when the general sale opens and a countdown to it, and the presale code field the hold sends. A refused code
// is said at the field in the buyer's language. Times are on the venue's clock (Beijing). Once the general sale
// is open the page no longer renders this, so the field goes away.
import { formatDateTime } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { problemMessage } from '../../lib/problem-messages.ts'
import { Field, useNow } from '../../lib/ui.tsx'
import { shopMessages } from '../messages.ts'
import type { ShowDetail } from '../types.ts'
import { countdownText } from './price-tag.tsx'

type Phase = ShowDetail['salePhases'][number]

/** The presale now (open phase) or next (upcoming phase), while the general sale is not open; else null. */
export function presaleOf(detail: ShowDetail): { phase: Phase; open: boolean } | null {
  if (detail.onSale) return null
  const open = detail.salePhases.find((p) => p.status === 'active')
  if (open) return { phase: open, open: true }
  const next = detail.salePhases
    .filter((p) => p.status === 'upcoming')
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt))[0]
  return next ? { phase: next, open: false } : null
}

/** Codes a refused hold puts at the presale code field rather than under the buttons. */
export const codeProblems = new Set(['presale_code_invalid', 'presale_code_used_up'])

export function PresaleNotice(props: {
  detail: ShowDetail
  presale: { phase: Phase; open: boolean }
  code: string
  onCode: (code: string) => void
  /** The refused hold, when it was refused for its code. */
  codeError: unknown
}) {
  const t = shopMessages.useT()
  const locale = useLocale()
  const now = useNow(1000)
  const { phase, open } = props.presale
  const when = (iso: string) => formatDateTime(iso, locale)
  const who = t(
    phase.codes && phase.memberTiers.length
      ? 'presale_forBoth'
      : phase.codes
        ? 'presale_forCodes'
        : 'presale_forMembers',
  )
  const countdownTo = open ? props.detail.saleStartsAt : phase.startsAt
  const left = Date.parse(countdownTo) - now
  const fieldError = props.codeError ? problemMessage(props.codeError, locale).text : null
  return (
    <section class="card stack-tight presale-notice" aria-labelledby="presale-heading" data-testid="presale">
      <h2 id="presale-heading">
        <span class="badge badge-tier">{t('price_tier_presale')}</span> {phase.label}
      </h2>
      <p data-testid="presale-notice">
        {open && Date.parse(phase.endsAt) === Date.parse(props.detail.saleStartsAt)
          ? t('presale_activeToGeneral', { who, from: when(props.detail.saleStartsAt) })
          : open
            ? t('presale_activeNotice', {
                who,
                until: when(phase.endsAt),
                from: when(props.detail.saleStartsAt),
              })
            : t('presale_upcomingNotice', {
                who,
                from: when(phase.startsAt),
                general: when(props.detail.saleStartsAt),
              })}
      </p>
      {left > 0 && (
        <p class="price-countdown" role="timer" data-testid="presale-countdown">
          {t(open ? 'presale_generalIn' : 'presale_opensIn', { time: countdownText(t, left) })}
        </p>
      )}
      {phase.codes && (
        <Field label={t('presale_codeLabel')} hint={t('presale_codeHint')} error={fieldError}>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              name="presale-code"
              autocomplete="off"
              autocapitalize="characters"
              spellcheck={false}
              maxLength={40}
              value={props.code}
              aria-invalid={invalid || undefined}
              aria-describedby={describedBy}
              data-testid="presale-code"
              onInput={(event) => props.onCode((event.target as HTMLInputElement).value)}
            />
          )}
        </Field>
      )}
    </section>
  )
}
