// Scenic sites: the list with a form for a new one, and one site's settings in sections (tabs) an organizer can
// move between: the site and its time slots, tickets and rules, packages, one day's quotas, prices.
import { useState } from 'preact/hooks'
import type { PackageRecord } from '../../../worker/routes/contracts/admin/packages.ts'
import type { ParentChildRuleRecord } from '../../../worker/routes/contracts/admin/parent-child-rules.ts'
import type { ScenicSiteRecord } from '../../../worker/routes/contracts/admin/scenic-sites.ts'
import type { VisitProductRecord } from '../../../worker/routes/contracts/admin/visit-products.ts'
import { api } from '../../lib/api.ts'
import { formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { cityName, localName } from '../../lib/labels.ts'
import { Link, navigate } from '../../lib/router.tsx'
import { Button, Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { NameEnInput, TextInput } from '../form.tsx'
import { adminMessages } from '../messages.ts'
import { RefundCompensationField } from '../refund-compensation-field.tsx'
import { DayControls, PriceCalendar } from '../scenic/day.tsx'
import { PackageForm, ProductForm, RuleForm } from '../scenic/forms.tsx'
import { ScenicPriceRules } from '../scenic/price-rules.tsx'
import { SiteDetailsForm, SlotsForm, useSlotRows } from '../scenic/site-settings.tsx'
import { SlotEditor } from '../scenic/slot-editor.tsx'
import { timeSlotsOf } from '../scenic/slots.ts'
import { useSession } from '../session.tsx'
import { DataTable, type PageOf } from '../table.tsx'
import { Tabs, useTab } from '../tabs.tsx'

export function SitesPage() {
  const t = adminMessages.useT()
  const locale = useLocale()
  const { base } = useSession()
  const list = useResource(
    (signal) => api<PageOf<ScenicSiteRecord>>(`${base}/scenic-sites`, { signal, query: { limit: 200 } }),
    [base],
  )
  const [name, setName] = useState('')
  const [nameEn, setNameEn] = useState('')
  const [city, setCity] = useState('')
  const [capacity, setCapacity] = useState('1000')
  const slots = useSlotRows(() => [], Number(capacity) || 0)
  const [error, setError] = useState<unknown>(null)
  const create = async (event: Event) => {
    event.preventDefault()
    setError(null)
    if (!slots.check()) return
    try {
      const site = await api<ScenicSiteRecord>(`${base}/scenic-sites`, {
        body: { name, nameEn, city, dailyCapacity: Number(capacity), timeSlots: timeSlotsOf(slots.rows) },
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
            {
              header: t('name'),
              cell: (s) => <Link href={`/admin/scenic/${s.id}`}>{localName(s, locale)}</Link>,
            },
            { header: t('city'), cell: (s) => cityName(s, locale) },
            { header: t('dailyCapacity'), cell: (s) => s.dailyCapacity, numeric: true },
          ]}
        />
      ) : (
        !list.error && <Loading />
      )}
      <form class="card stack" onSubmit={create}>
        <h2>{t('newSite')}</h2>
        <TextInput label={t('name')} value={name} onInput={setName} required />
        <NameEnInput value={nameEn} onInput={setNameEn} name="site-name-en" />
        <TextInput label={t('city')} value={city} onInput={setCity} required />
        <TextInput
          label={t('dailyCapacity')}
          type="number"
          min="0"
          value={capacity}
          onInput={setCapacity}
          inputMode="numeric"
        />
        <SlotEditor
          rows={slots.rows}
          onChange={slots.setRows}
          problems={slots.problems}
          showAll={slots.showAll}
          opensAt="08:00"
        />
        {slots.blocked && (
          <p class="alert alert-error" role="alert">
            {t('slotsFixFirst')}
          </p>
        )}
        <ProblemAlert error={error} />
        <Button type="submit" variant="primary">
          {t('create')}
        </Button>
      </form>
    </section>
  )
}

const siteTabs = ['site', 'products', 'packages', 'quotas', 'prices'] as const
const tabLabel = {
  site: 'tabSite',
  products: 'tabProducts',
  packages: 'tabPackages',
  quotas: 'tabQuotas',
  prices: 'tabPrices',
} as const

export function SitePage({ id }: { id: string }) {
  const t = adminMessages.useT()
  const locale = useLocale()
  const { base, organizer } = useSession()
  const tabs = siteTabs.map((key) => ({ key, label: t(tabLabel[key]) }))
  const tab = useTab(tabs)
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
  if (site.error) return <ProblemAlert error={site.error} onRetry={site.reload} />
  if (!site.data) return <Loading />
  const productList = products.data?.items ?? []
  const nameOf = (productId: string) => productList.find((p) => p.id === productId)?.name ?? productId
  const money = (fen: number) => formatMoney(fen, organizer.currency, locale)
  return (
    <section class="stack">
      <p>
        <Link href="/admin/scenic">← {t('navScenic')}</Link>
      </p>
      <h1>{localName(site.data, locale)}</h1>
      <p class="muted">
        {cityName(site.data, locale)} · {t('dailyCapacity')}: {site.data.dailyCapacity} · {site.data.opensAt}–
        {site.data.closesAt}
      </p>
      <Tabs label={t('scenicSections', { name: localName(site.data, locale) })} tabs={tabs} current={tab}>
        {tab === 'site' && (
          <>
            <SiteDetailsForm site={site.data} path={sitePath} onSaved={site.reload} />
            <SlotsForm site={site.data} path={sitePath} onSaved={site.reload} />
            <RefundCompensationField path={`${sitePath}/refund-compensation`} />
          </>
        )}
        {tab === 'products' && (
          <>
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
              {productList.length > 1 && (
                <RuleForm siteId={id} products={productList} onSaved={rules.reload} />
              )}
            </section>
          </>
        )}
        {tab === 'packages' && (
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
        )}
        {tab === 'quotas' && <DayControls site={site.data} />}
        {tab === 'prices' && (
          <>
            <ScenicPriceRules products={productList} packages={packages.data?.items ?? []} />
            <PriceCalendar site={site.data} />
          </>
        )}
      </Tabs>
    </section>
  )
}
