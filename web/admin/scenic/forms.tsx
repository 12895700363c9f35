// The forms that add a scenic site's tickets, parent-child rules and packages (the Tickets and Packages tabs).
import { useState } from 'preact/hooks'
import type { VisitProductRecord } from '../../../worker/routes/contracts/admin/visit-products.ts'
import { api } from '../../lib/api.ts'
import { Button, ProblemAlert } from '../../lib/ui.tsx'
import { CheckboxInput, NameEnInput, SelectInput, TextInput, yuanToFen } from '../form.tsx'
import { adminMessages } from '../messages.ts'
import { useSession } from '../session.tsx'

const productKinds = ['entry', 'attraction', 'show']
const ticketTypes = ['adult', 'child', 'student', 'senior', 'general']

export function ProductForm({ siteId, onSaved }: { siteId: string; onSaved: () => void }) {
  const t = adminMessages.useT()
  const { base } = useSession()
  const [name, setName] = useState('')
  const [nameEn, setNameEn] = useState('')
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
          nameEn,
          kind,
          ticketType,
          price: yuanToFen(price),
          timed,
          realNameRequired: realName,
          ...(cap ? { dailyCapacity: Number(cap) } : {}),
        },
      })
      setName('')
      setNameEn('')
      onSaved()
    } catch (failure) {
      setError(failure)
    }
  }
  return (
    <form class="card stack" onSubmit={submit}>
      <h3>{t('newProduct')}</h3>
      <div class="form-grid">
        <TextInput label={t('name')} value={name} onInput={setName} required />
        <NameEnInput value={nameEn} onInput={setNameEn} />
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
      </div>
      <ProblemAlert error={error} />
      <Button type="submit" variant="primary">
        {t('create')}
      </Button>
    </form>
  )
}

export function RuleForm({
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
      <div class="form-grid">
        <SelectInput label={t('parentProduct')} value={parent} onChange={setParent} options={options} />
        <SelectInput label={t('childProduct')} value={child} onChange={setChild} options={options} />
        <SelectInput
          label={t('onParentRefund')}
          value={onRefund}
          onChange={setOnRefund}
          options={['block', 'cascade'].map((v) => ({ value: v, label: t(`refund_${v}` as never) }))}
        />
      </div>
      <ProblemAlert error={error} />
      <Button type="submit" variant="primary">
        {t('create')}
      </Button>
    </form>
  )
}

export function PackageForm({
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
  const [nameEn, setNameEn] = useState('')
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
          nameEn,
          price: yuanToFen(price),
          components: Object.entries(quantities)
            .filter(([, q]) => Number(q) > 0)
            .map(([productId, q]) => ({ productId, quantity: Number(q) })),
        },
      })
      setName('')
      setNameEn('')
      onSaved()
    } catch (failure) {
      setError(failure)
    }
  }
  return (
    <form class="card stack" onSubmit={submit}>
      <h3>{t('newPackage')}</h3>
      <div class="form-grid">
        <TextInput label={t('name')} value={name} onInput={setName} required />
        <NameEnInput value={nameEn} onInput={setNameEn} />
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
      </div>
      <fieldset class="stack">
        <legend>{t('components')}</legend>
        <div class="form-grid">
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
        </div>
      </fieldset>
      <ProblemAlert error={error} />
      <Button type="submit" variant="primary">
        {t('create')}
      </Button>
    </form>
  )
}
