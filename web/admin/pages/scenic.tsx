import { useState } from 'preact/hooks'
import type { PackageRecord } from '../../../worker/routes/contracts/admin/packages.ts'
import type { ParentChildRuleRecord } from '../../../worker/routes/contracts/admin/parent-child-rules.ts'
import type {
  ScenicSiteRecord,
  SiteDayInventory,
  TimeSlot,
} from '../../../worker/routes/contracts/admin/scenic-sites.ts'
import type { VisitProductRecord } from '../../../worker/routes/contracts/admin/visit-products.ts'
import type { SiteCalendar } from '../../../worker/routes/contracts/scenic.ts'
import { api } from '../../lib/api.ts'
import { formatDay, formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { Link, navigate } from '../../lib/router.tsx'
import { Button, Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { CheckboxInput, chinaDay, SelectInput, TextInput, yuanToFen } from '../form.tsx'
import { adminMessages } from '../messages.ts'
import { useSession } from '../session.tsx'
import { DataTable, type PageOf } from '../table.tsx'

/** `09:00-10:00 500` per line → time slots (the code is the start time). */
function parseSlots(text: string): TimeSlot[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [range = '', capacity = '0'] = line.split(/\s+/)
      const [start = '', end = ''] = range.split('-')
      return { code: start, start, end, capacity: Number(capacity) }
    })
}
const slotsText = (slots: TimeSlot[]) => slots.map((s) => `${s.start}-${s.end} ${s.capacity}`).join('\n')

function SlotsField(props: { value: string; onInput: (v: string) => void }) {
  const t = adminMessages.useT()
  return (
    <div class="field">
      <label for="site-slots">{t('timeSlots')}</label>
      <textarea
        id="site-slots"
        rows={4}
        value={props.value}
        aria-describedby="site-slots-hint"
        onInput={(e) => props.onInput((e.target as HTMLTextAreaElement).value)}
      />
      <small id="site-slots-hint" class="muted">
        {t('timeSlotsHint')}
      </small>
    </div>
  )
}

export function SitesPage() {
  const t = adminMessages.useT()
  const { base } = useSession()
  const list = useResource(
    (signal) => api<PageOf<ScenicSiteRecord>>(`${base}/scenic-sites`, { signal, query: { limit: 200 } }),
    [base],
  )
  const [name, setName] = useState('')
  const [city, setCity] = useState('')
  const [capacity, setCapacity] = useState('1000')
  const [slots, setSlots] = useState('')
  const [error, setError] = useState<unknown>(null)
  const create = async (event: Event) => {
    event.preventDefault()
    setError(null)
    try {
      const site = await api<ScenicSiteRecord>(`${base}/scenic-sites`, {
        body: { name, city, dailyCapacity: Number(capacity), timeSlots: parseSlots(slots) },
      })
      navigate(`/admin/scenic/${site.id}`)
    } catch (failure) {
      setError(failure)
    }
  }
  return (
    <section class="stack">
      <h1>{t('navScenic')}</h1>
      {list.error ? <ProblemAlert error={list.error} onRetry={list.reload} /> : null}
      {list.data ? (
        <DataTable
          caption={t('navScenic')}
          rows={list.data.items}
          rowKey={(s) => s.id}
          columns={[
            { header: t('name'), cell: (s) => <Link href={`/admin/scenic/${s.id}`}>{s.name}</Link> },
            { header: t('city'), cell: (s) => s.city },
            { header: t('dailyCapacity'), cell: (s) => s.dailyCapacity, numeric: true },
          ]}
        />
      ) : (
        !list.error && <Loading />
      )}
      <form class="card stack" onSubmit={create}>
        <h2>{t('newSite')}</h2>
        <TextInput label={t('name')} value={name} onInput={setName} required />
        <TextInput label={t('city')} value={city} onInput={setCity} required />
        <TextInput
          label={t('dailyCapacity')}
          type="number"
          min="0"
          value={capacity}
          onInput={setCapacity}
          inputMode="numeric"
        />
        <SlotsField value={slots} onInput={setSlots} />
        <ProblemAlert error={error} />
        <Button type="submit" variant="primary">
          {t('create')}
        </Button>
      </form>
    </section>
  )
}

const productKinds = ['entry', 'attraction', 'show']
const ticketTypes = ['adult', 'child', 'student', 'senior', 'general']

function ProductForm({ siteId, onSaved }: { siteId: string; onSaved: () => void }) {
  const t = adminMessages.useT()
  const { base } = useSession()
  const [name, setName] = useState('')
  const [kind, setKind] = useState('entry')
  const [ticketType, setTicketType] = useState('adult')
  const [price, setPrice] = useState('')
  const [timed, setTimed] = useState(false)
  const [realName, setRealName] = useState(true)
  const [cap, setCap] = useState('')
  const [error, setError] = useState<unknown>(null)
  const submit = async (event: Event) => {
    event.preventDefault()
    setError(null)
    try {
      await api(`${base}/visit-products`, {
        body: {
          siteId,
          name,
          kind,
          ticketType,
          price: yuanToFen(price),
          timed,
          realNameRequired: realName,
          ...(cap ? { dailyCapacity: Number(cap) } : {}),
        },
      })
      setName('')
      onSaved()
    } catch (failure) {
      setError(failure)
    }
  }
  return (
    <form class="card stack" onSubmit={submit}>
      <h3>{t('newProduct')}</h3>
      <TextInput label={t('name')} value={name} onInput={setName} required />
      <SelectInput
        label={t('kind')}
        value={kind}
        onChange={setKind}
        options={productKinds.map((k) => ({ value: k, label: t(`productKind_${k}` as never) }))}
      />
      <SelectInput
        label={t('ticketType')}
        value={ticketType}
        onChange={setTicketType}
        options={ticketTypes.map((k) => ({ value: k, label: t(`ticketType_${k}` as never) }))}
      />
      <TextInput
        label={t('priceYuan')}
        type="number"
        step="0.01"
        min="0"
        value={price}
        onInput={setPrice}
        required
        inputMode="decimal"
      />
      <TextInput
        label={t('productDailyCap')}
        type="number"
        min="0"
        value={cap}
        onInput={setCap}
        inputMode="numeric"
      />
      <CheckboxInput label={t('timed')} checked={timed} onChange={setTimed} />
      <CheckboxInput label={t('realNameRequired')} checked={realName} onChange={setRealName} />
      <ProblemAlert error={error} />
      <Button type="submit" variant="primary">
        {t('create')}
      </Button>
    </form>
  )
}

function RuleForm({
  siteId,
  products,
  onSaved,
}: {
  siteId: string
  products: VisitProductRecord[]
  onSaved: () => void
}) {
  const t = adminMessages.useT()
  const { base } = useSession()
  const options = products.map((p) => ({ value: p.id, label: p.name }))
  const [parent, setParent] = useState(products.find((p) => p.kind === 'entry')?.id ?? '')
  const [child, setChild] = useState(products.find((p) => p.kind !== 'entry')?.id ?? '')
  const [onRefund, setOnRefund] = useState('block')
  const [error, setError] = useState<unknown>(null)
  const submit = async (event: Event) => {
    event.preventDefault()
    setError(null)
    try {
      await api(`${base}/parent-child-rules`, {
        body: { siteId, parentProductId: parent, childProductId: child, onParentRefund: onRefund },
      })
      onSaved()
    } catch (failure) {
      setError(failure)
    }
  }
  return (
    <form class="card stack" onSubmit={submit}>
      <h3>{t('newRule')}</h3>
      <SelectInput label={t('parentProduct')} value={parent} onChange={setParent} options={options} />
      <SelectInput label={t('childProduct')} value={child} onChange={setChild} options={options} />
      <SelectInput
        label={t('onParentRefund')}
        value={onRefund}
        onChange={setOnRefund}
        options={['block', 'cascade'].map((v) => ({ value: v, label: t(`refund_${v}` as never) }))}
      />
      <ProblemAlert error={error} />
      <Button type="submit" variant="primary">
        {t('create')}
      </Button>
    </form>
  )
}

function PackageForm({
  siteId,
  products,
  onSaved,
}: {
  siteId: string
  products: VisitProductRecord[]
  onSaved: () => void
}) {
  const t = adminMessages.useT()
  const { base } = useSession()
  const [name, setName] = useState('')
  const [price, setPrice] = useState('')
  const [quantities, setQuantities] = useState<Record<string, string>>({})
  const [error, setError] = useState<unknown>(null)
  const submit = async (event: Event) => {
    event.preventDefault()
    setError(null)
    try {
      await api(`${base}/packages`, {
        body: {
          siteId,
          name,
          price: yuanToFen(price),
          components: Object.entries(quantities)
            .filter(([, q]) => Number(q) > 0)
            .map(([productId, q]) => ({ productId, quantity: Number(q) })),
        },
      })
      setName('')
      onSaved()
    } catch (failure) {
      setError(failure)
    }
  }
  return (
    <form class="card stack" onSubmit={submit}>
      <h3>{t('newPackage')}</h3>
      <TextInput label={t('name')} value={name} onInput={setName} required />
      <TextInput
        label={t('priceYuan')}
        type="number"
        step="0.01"
        min="0"
        value={price}
        onInput={setPrice}
        required
        inputMode="decimal"
      />
      <fieldset class="stack">
        <legend>{t('components')}</legend>
        {products.map((p) => (
          <TextInput
            key={p.id}
            label={p.name}
            type="number"
            min="0"
            inputMode="numeric"
            value={quantities[p.id] ?? ''}
            onInput={(v) => setQuantities({ ...quantities, [p.id]: v })}
          />
        ))}
      </fieldset>
      <ProblemAlert error={error} />
      <Button type="submit" variant="primary">
        {t('create')}
      </Button>
    </form>
  )
}

function DayControls({ site }: { site: ScenicSiteRecord }) {
  const t = adminMessages.useT()
  const { base } = useSession()
  const [date, setDate] = useState(chinaDay(1))
  const dayPath = `${base}/scenic-sites/${site.id}/days/${date}`
  const day = useResource((signal) => api<SiteDayInventory>(`${dayPath}/inventory`, { signal }), [dayPath])
  const [quotas, setQuotas] = useState<Record<string, string>>({})
  const [newChannel, setNewChannel] = useState('')
  const [error, setError] = useState<unknown>(null)
  const [notice, setNotice] = useState('')
  const current = {
    ...Object.fromEntries(Object.entries(day.data?.channels ?? {}).map(([c, q]) => [c, String(q.quota)])),
    ...quotas,
  }
  const save = async (event: Event) => {
    event.preventDefault()
    setError(null)
    setNotice('')
    const next = { ...current, ...(newChannel ? { [newChannel]: current[newChannel] ?? '0' } : {}) }
    try {
      await api(`${dayPath}/quotas`, {
        method: 'PUT',
        body: { quotas: Object.fromEntries(Object.entries(next).map(([c, q]) => [c, Number(q)])) },
      })
      setNotice(t('saved'))
      setQuotas({})
      setNewChannel('')
      day.reload()
    } catch (failure) {
      setError(failure)
    }
  }
  return (
    <section class="card stack" aria-labelledby="day-heading">
      <h2 id="day-heading">{t('dayQuotas')}</h2>
      <TextInput label={t('visitDate')} type="date" value={date} onInput={(v) => v && setDate(v)} />
      {day.error ? <ProblemAlert error={day.error} onRetry={day.reload} /> : null}
      {day.data && (
        <>
          <p>{t('dayRemaining', { remaining: day.data.remaining, capacity: day.data.capacity })}</p>
          <DataTable
            caption={t('timeSlots')}
            rows={day.data.slots}
            rowKey={(s) => s.code}
            columns={[
              { header: t('slot'), cell: (s) => `${s.start}–${s.end}` },
              { header: t('capacity'), cell: (s) => s.capacity, numeric: true },
              { header: t('remaining'), cell: (s) => s.remaining, numeric: true },
            ]}
          />
          <form class="stack" onSubmit={save}>
            <fieldset class="stack">
              <legend>{t('channelQuotas')}</legend>
              {Object.keys(current).map((code) => (
                <TextInput
                  key={code}
                  label={`${code} (${t('remaining')}: ${day.data?.channels[code]?.remaining ?? '—'})`}
                  type="number"
                  min="0"
                  inputMode="numeric"
                  value={current[code] ?? ''}
                  onInput={(v) => setQuotas({ ...quotas, [code]: v })}
                />
              ))}
              <TextInput label={t('addChannelCode')} value={newChannel} onInput={setNewChannel} />
            </fieldset>
            <ProblemAlert error={error} />
            {notice && (
              <p role="status" class="alert alert-info">
                {notice}
              </p>
            )}
            <Button type="submit" variant="primary">
              {t('saveQuotas')}
            </Button>
          </form>
        </>
      )}
    </section>
  )
}

function PriceCalendar({ site }: { site: ScenicSiteRecord }) {
  const t = adminMessages.useT()
  const locale = useLocale()
  const { organizer } = useSession()
  const from = chinaDay(0)
  const to = chinaDay(13)
  const calendar = useResource(
    (signal) =>
      api<SiteCalendar>(`/api/scenic-sites/${site.id}/calendar`, {
        signal,
        query: { from, to },
      }),
    [site.id],
  )
  const products = calendar.data?.days[0]?.products ?? []
  return (
    <section class="card stack" aria-labelledby="calendar-heading">
      <h2 id="calendar-heading">{t('priceCalendar')}</h2>
      {calendar.error ? <p class="muted">{t('calendarUnavailable')}</p> : null}
      {calendar.data && (
        <DataTable
          caption={t('priceCalendar')}
          rows={calendar.data.days}
          rowKey={(d) => d.date}
          columns={[
            { header: t('date'), cell: (d) => formatDay(d.date, locale) },
            { header: t('remaining'), cell: (d) => (d.onSale ? d.remaining : t('notOnSale')), numeric: true },
            ...products.map((p) => ({
              header: p.name,
              cell: (d: SiteCalendar['days'][number]) => {
                const product = d.products.find((x) => x.id === p.id)
                return product
                  ? `${formatMoney(product.price, organizer.currency, locale)} (${product.remaining})`
                  : '—'
              },
              numeric: true,
            })),
          ]}
        />
      )}
    </section>
  )
}

export function SitePage({ id }: { id: string }) {
  const t = adminMessages.useT()
  const locale = useLocale()
  const { base, organizer } = useSession()
  const sitePath = `${base}/scenic-sites/${encodeURIComponent(id)}`
  const site = useResource((signal) => api<ScenicSiteRecord>(sitePath, { signal }), [sitePath])
  const products = useResource(
    (signal) =>
      api<PageOf<VisitProductRecord>>(`${base}/visit-products`, {
        signal,
        query: { siteId: id, limit: 200 },
      }),
    [base, id],
  )
  const rules = useResource(
    (signal) =>
      api<PageOf<ParentChildRuleRecord>>(`${base}/parent-child-rules`, {
        signal,
        query: { siteId: id, limit: 200 },
      }),
    [base, id],
  )
  const packages = useResource(
    (signal) => api<PageOf<PackageRecord>>(`${base}/packages`, { signal, query: { siteId: id, limit: 200 } }),
    [base, id],
  )
  const [slots, setSlots] = useState<string | null>(null)
  const [slotError, setSlotError] = useState<unknown>(null)
  if (site.error) return <ProblemAlert error={site.error} onRetry={site.reload} />
  if (!site.data) return <Loading />
  const productList = products.data?.items ?? []
  const nameOf = (productId: string) => productList.find((p) => p.id === productId)?.name ?? productId
  const money = (fen: number) => formatMoney(fen, organizer.currency, locale)
  const saveSlots = async (event: Event) => {
    event.preventDefault()
    setSlotError(null)
    try {
      await api(sitePath, { method: 'PATCH', body: { timeSlots: parseSlots(slots ?? '') } })
      setSlots(null)
      site.reload()
    } catch (failure) {
      setSlotError(failure)
    }
  }
  return (
    <section class="stack">
      <p>
        <Link href="/admin/scenic">← {t('navScenic')}</Link>
      </p>
      <h1>{site.data.name}</h1>
      <p class="muted">
        {site.data.city} · {t('dailyCapacity')}: {site.data.dailyCapacity} · {site.data.opensAt}–
        {site.data.closesAt}
      </p>
      <form class="card stack" onSubmit={saveSlots}>
        <h2>{t('timeSlots')}</h2>
        <SlotsField value={slots ?? slotsText(site.data.timeSlots)} onInput={setSlots} />
        <ProblemAlert error={slotError} />
        <Button type="submit" variant="primary" disabled={slots === null}>
          {t('save')}
        </Button>
      </form>
      <section class="stack" aria-labelledby="products-heading">
        <h2 id="products-heading">{t('products')}</h2>
        <DataTable
          caption={t('products')}
          rows={productList}
          rowKey={(p) => p.id}
          columns={[
            { header: t('name'), cell: (p) => p.name },
            { header: t('kind'), cell: (p) => t(`productKind_${p.kind}` as never) },
            { header: t('ticketType'), cell: (p) => t(`ticketType_${p.ticketType}` as never) },
            { header: t('price'), cell: (p) => money(p.price), numeric: true },
            { header: t('productDailyCap'), cell: (p) => p.dailyCapacity ?? '—', numeric: true },
          ]}
        />
        <ProductForm siteId={id} onSaved={products.reload} />
      </section>
      <section class="stack" aria-labelledby="rules-heading">
        <h2 id="rules-heading">{t('rules')}</h2>
        <DataTable
          caption={t('rules')}
          rows={rules.data?.items ?? []}
          rowKey={(r) => r.id}
          columns={[
            { header: t('parentProduct'), cell: (r) => nameOf(r.parentProductId) },
            { header: t('childProduct'), cell: (r) => nameOf(r.childProductId) },
            { header: t('onParentRefund'), cell: (r) => t(`refund_${r.onParentRefund}` as never) },
          ]}
        />
        {productList.length > 1 && <RuleForm siteId={id} products={productList} onSaved={rules.reload} />}
      </section>
      <section class="stack" aria-labelledby="packages-heading">
        <h2 id="packages-heading">{t('packages')}</h2>
        <DataTable
          caption={t('packages')}
          rows={packages.data?.items ?? []}
          rowKey={(p) => p.id}
          columns={[
            { header: t('name'), cell: (p) => p.name },
            {
              header: t('components'),
              cell: (p) => p.components.map((c) => `${nameOf(c.productId)} × ${c.quantity}`).join(', '),
            },
            { header: t('price'), cell: (p) => money(p.price), numeric: true },
          ]}
        />
        {productList.length > 0 && (
          <PackageForm siteId={id} products={productList} onSaved={packages.reload} />
        )}
      </section>
      <DayControls site={site.data} />
      <PriceCalendar site={site.data} />
    </section>
  )
}
