// Members: the organizer's tiers and their benefits, the points rules and the member list (search by contact).
import { useEffect, useState } from 'preact/hooks'
import type { MemberList, MemberTier, PointsRulesView } from '../../../worker/routes/contracts/members.ts'
import { ApiError, api } from '../../lib/api.ts'
import { formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { Button, Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { CheckboxInput, fenToYuan, TextInput, yuanToFen } from '../form.tsx'
import { adminMessages } from '../messages.ts'
import { useSession } from '../session.tsx'

interface TierDraft {
  code: string
  name: string
  nameEn: string
  minSpend: string
  minPoints: string
  discountPercent: string
  presaleAccess: boolean
  maxTicketsPerBuyer: string
}

const draftOf = (tier: MemberTier): TierDraft => ({
  code: tier.code,
  name: tier.name,
  nameEn: tier.nameEn ?? '',
  minSpend: fenToYuan(tier.minSpend),
  minPoints: tier.minPoints === null ? '' : String(tier.minPoints),
  discountPercent: String(tier.discountPercent),
  presaleAccess: tier.presaleAccess,
  maxTicketsPerBuyer: tier.maxTicketsPerBuyer === null ? '' : String(tier.maxTicketsPerBuyer),
})

/** `json.<path>` of a validation problem → the field's message. */
function errorsByField(failure: unknown): Record<string, string> | null {
  if (!(failure instanceof ApiError) || failure.code !== 'validation' || !failure.problem.errors?.length)
    return null
  return Object.fromEntries(
    failure.problem.errors.map((e) => [(e.path ?? '').replace(/^json\./, ''), e.message]),
  )
}

function TiersForm() {
  const t = adminMessages.useT()
  const { base } = useSession()
  const saved = useResource(
    (signal) => api<{ tiers: MemberTier[] }>(`${base}/member-tiers`, { signal }),
    [base],
  )
  const [drafts, setDrafts] = useState<TierDraft[]>([])
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [error, setError] = useState<unknown>(null)
  const [notice, setNotice] = useState('')
  useEffect(() => {
    if (saved.data) setDrafts(saved.data.tiers.map(draftOf))
  }, [saved.data])
  if (!saved.data) return saved.error ? <ProblemAlert error={saved.error} /> : <Loading />
  const set = (i: number, patch: Partial<TierDraft>) =>
    setDrafts(drafts.map((d, j) => (i === j ? { ...d, ...patch } : d)))
  const save = async (event: Event) => {
    event.preventDefault()
    setErrors({})
    setError(null)
    setNotice('')
    try {
      await api(`${base}/member-tiers`, {
        method: 'PUT',
        body: {
          tiers: drafts.map((d) => ({
            code: d.code.trim(),
            name: d.name.trim(),
            nameEn: d.nameEn.trim() || null,
            minSpend: d.minSpend.trim() ? yuanToFen(d.minSpend) : null,
            minPoints: d.minPoints.trim() ? Number(d.minPoints) : null,
            discountPercent: Number(d.discountPercent || 0),
            presaleAccess: d.presaleAccess,
            maxTicketsPerBuyer: d.maxTicketsPerBuyer.trim() ? Number(d.maxTicketsPerBuyer) : null,
          })),
        },
      })
      setNotice(t('members_saved'))
      saved.reload()
    } catch (failure) {
      const byField = errorsByField(failure)
      if (byField) setErrors(byField)
      setError(failure)
    }
  }
  const err = (i: number, field: string) => errors[`tiers.${i}.${field}`] ?? null
  return (
    <form class="card stack" onSubmit={save} data-testid="member-tiers">
      <h2>{t('members_tiers')}</h2>
      <p class="muted small">{t('members_tiersHint')}</p>
      {drafts.map((d, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place, by position
        <fieldset key={i} class="stack">
          <legend>{t('members_tierN', { n: i + 1 })}</legend>
          <TextInput
            label={t('members_tierName')}
            value={d.name}
            onInput={(v) => set(i, { name: v })}
            error={err(i, 'name')}
          />
          <TextInput
            label={t('members_tierNameEn')}
            value={d.nameEn}
            onInput={(v) => set(i, { nameEn: v })}
          />
          <TextInput
            label={t('members_tierCode')}
            value={d.code}
            onInput={(v) => set(i, { code: v })}
            error={err(i, 'code')}
            hint={t('members_tierCodeHint')}
          />
          <TextInput
            label={t('members_minSpend')}
            value={d.minSpend}
            inputMode="decimal"
            onInput={(v) => set(i, { minSpend: v })}
            error={err(i, 'minSpend')}
          />
          <TextInput
            label={t('members_minPoints')}
            value={d.minPoints}
            inputMode="numeric"
            onInput={(v) => set(i, { minPoints: v })}
            error={err(i, 'minPoints')}
          />
          <TextInput
            label={t('members_discount')}
            value={d.discountPercent}
            inputMode="numeric"
            onInput={(v) => set(i, { discountPercent: v })}
            error={err(i, 'discountPercent')}
          />
          <CheckboxInput
            label={t('members_presale')}
            checked={d.presaleAccess}
            onChange={(v) => set(i, { presaleAccess: v })}
          />
          <TextInput
            label={t('members_tierTicketLimit')}
            value={d.maxTicketsPerBuyer}
            inputMode="numeric"
            onInput={(v) => set(i, { maxTicketsPerBuyer: v })}
            error={err(i, 'maxTicketsPerBuyer')}
            hint={t('members_tierTicketLimitHint')}
          />
          <div class="row">
            <Button onClick={() => setDrafts(drafts.filter((_, j) => j !== i))}>
              {t('members_removeTier')}
            </Button>
          </div>
        </fieldset>
      ))}
      <ProblemAlert error={error} />
      {notice && <p role="status">{notice}</p>}
      <div class="row">
        <Button
          onClick={() =>
            setDrafts([
              ...drafts,
              {
                code: '',
                name: '',
                nameEn: '',
                minSpend: '',
                minPoints: '',
                discountPercent: '0',
                presaleAccess: false,
                maxTicketsPerBuyer: '',
              },
            ])
          }
        >
          {t('members_addTier')}
        </Button>
        <Button type="submit" variant="primary">
          {t('members_save')}
        </Button>
      </div>
    </form>
  )
}

function RulesForm() {
  const t = adminMessages.useT()
  const { base } = useSession()
  const saved = useResource(
    (signal) => api<{ rules: PointsRulesView | null }>(`${base}/points-rules`, { signal }),
    [base],
  )
  const [draft, setDraft] = useState({
    earnPerYuan: '1',
    pointsPerYuan: '100',
    maxRedeemPercent: '50',
    expiryYears: '1',
  })
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [error, setError] = useState<unknown>(null)
  const [notice, setNotice] = useState('')
  useEffect(() => {
    const r = saved.data?.rules
    if (r)
      setDraft({
        earnPerYuan: String(r.earnPerYuan),
        pointsPerYuan: String(r.pointsPerYuan),
        maxRedeemPercent: String(r.maxRedeemPercent),
        expiryYears: String(r.expiryYears),
      })
  }, [saved.data])
  const save = async (event: Event) => {
    event.preventDefault()
    setErrors({})
    setError(null)
    setNotice('')
    try {
      await api(`${base}/points-rules`, {
        method: 'PUT',
        body: Object.fromEntries(Object.entries(draft).map(([k, v]) => [k, Number(v)])),
      })
      setNotice(t('members_saved'))
      saved.reload()
    } catch (failure) {
      const byField = errorsByField(failure)
      if (byField) setErrors(byField)
      setError(failure)
    }
  }
  const field = (key: keyof typeof draft, label: string) => (
    <TextInput
      label={label}
      value={draft[key]}
      inputMode="numeric"
      onInput={(v) => setDraft({ ...draft, [key]: v })}
      error={errors[key] ?? null}
    />
  )
  return (
    <form class="card stack" onSubmit={save} data-testid="points-rules">
      <h2>{t('members_rules')}</h2>
      {saved.data && !saved.data.rules && <p class="muted">{t('members_noRules')}</p>}
      {field('earnPerYuan', t('members_earnPerYuan'))}
      {field('pointsPerYuan', t('members_pointsPerYuan'))}
      {field('maxRedeemPercent', t('members_maxRedeemPercent'))}
      {field('expiryYears', t('members_expiryYears'))}
      <ProblemAlert error={error} />
      {notice && <p role="status">{notice}</p>}
      <div class="row">
        <Button type="submit" variant="primary">
          {t('members_save')}
        </Button>
      </div>
    </form>
  )
}

function MemberListCard() {
  const t = adminMessages.useT()
  const locale = useLocale()
  const { base, organizer } = useSession()
  const [q, setQ] = useState('')
  const list = useResource(
    (signal) =>
      api<MemberList>(`${base}/members`, {
        signal,
        query: { limit: 50, ...(q.trim() ? { q: q.trim() } : {}) },
      }),
    [base, q],
  )
  return (
    <div class="card stack">
      <h2>{t('members_list')}</h2>
      <TextInput label={t('members_search')} value={q} onInput={setQ} />
      {list.error && <ProblemAlert error={list.error} />}
      {list.data && list.data.items.length === 0 && <p class="muted">{t('members_none')}</p>}
      {list.data && list.data.items.length > 0 && (
        <table data-testid="member-list">
          <thead>
            <tr>
              <th>{t('members_contact')}</th>
              <th>{t('members_tier')}</th>
              <th>{t('members_spend')}</th>
              <th>{t('members_balance')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((m) => (
              <tr key={m.id}>
                <td>{m.name ?? m.contact}</td>
                <td>{m.tier ? (locale === 'en' && m.tier.nameEn) || m.tier.name : '—'}</td>
                <td>{formatMoney(m.spend12Months, organizer.currency, locale)}</td>
                <td>{m.debt > 0 ? t('members_owes', { points: m.debt }) : m.balance}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}

export function MembersPage() {
  const t = adminMessages.useT()
  return (
    <section class="stack">
      <h1>{t('members_title')}</h1>
      <TiersForm />
      <RulesForm />
      <MemberListCard />
    </section>
  )
}
