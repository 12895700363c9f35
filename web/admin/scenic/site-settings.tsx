// The Site tab: the site's own details and its time slots, each saved on its own.
import { useState } from 'preact/hooks'
import type { ScenicSiteRecord } from '../../../worker/routes/contracts/admin/scenic-sites.ts'
import { api } from '../../lib/api.ts'
import { Button, ProblemAlert } from '../../lib/ui.tsx'
import { NameEnInput, TextInput } from '../form.tsx'
import { adminMessages } from '../messages.ts'
import { focusFirstProblem, SlotEditor } from './slot-editor.tsx'
import { rowsOf, type SlotRow, slotProblems, timeSlotsOf } from './slots.ts'

function Saved({ shown }: { shown: boolean }) {
  const t = adminMessages.useT()
  return shown ? (
    <p role="status" class="alert alert-info">
      {t('saved')}
    </p>
  ) : null
}

export function SiteDetailsForm({
  site,
  path,
  onSaved,
}: {
  site: ScenicSiteRecord
  path: string
  onSaved: () => void
}) {
  const t = adminMessages.useT()
  const [form, setForm] = useState({
    name: site.name,
    nameEn: site.nameEn ?? '',
    city: site.city,
    cityEn: site.cityEn ?? '',
    dailyCapacity: String(site.dailyCapacity),
    opensAt: site.opensAt,
    closesAt: site.closesAt,
    bookingDaysAhead: String(site.bookingDaysAhead),
  })
  const [error, setError] = useState<unknown>(null)
  const [saved, setSaved] = useState(false)
  const set = (key: keyof typeof form) => (value: string) => {
    setSaved(false)
    setForm({ ...form, [key]: value })
  }
  const submit = async (event: Event) => {
    event.preventDefault()
    setError(null)
    try {
      await api(path, {
        method: 'PATCH',
        body: {
          ...form,
          dailyCapacity: Number(form.dailyCapacity),
          bookingDaysAhead: Number(form.bookingDaysAhead),
        },
      })
      setSaved(true)
      onSaved()
    } catch (failure) {
      setError(failure)
    }
  }
  return (
    <form class="card stack" onSubmit={submit} aria-labelledby="site-details-heading">
      <h2 id="site-details-heading">{t('siteDetails')}</h2>
      <div class="form-grid">
        <TextInput label={t('name')} value={form.name} onInput={set('name')} name="site-name" required />
        <NameEnInput value={form.nameEn} onInput={set('nameEn')} name="site-name-en" />
        <TextInput label={t('city')} value={form.city} onInput={set('city')} name="site-city" required />
        <TextInput
          label={t('s7names_cityEn')}
          hint={t('names_nameEnHint')}
          value={form.cityEn}
          onInput={set('cityEn')}
          name="site-city-en"
        />
        <TextInput
          label={t('dailyCapacity')}
          type="number"
          min="0"
          inputMode="numeric"
          value={form.dailyCapacity}
          onInput={set('dailyCapacity')}
          name="site-capacity"
          required
        />
        <TextInput label={t('opensAt')} type="time" value={form.opensAt} onInput={set('opensAt')} required />
        <TextInput
          label={t('closesAt')}
          type="time"
          value={form.closesAt}
          onInput={set('closesAt')}
          required
        />
        <TextInput
          label={t('bookingDaysAhead')}
          type="number"
          min="0"
          inputMode="numeric"
          value={form.bookingDaysAhead}
          onInput={set('bookingDaysAhead')}
          required
        />
      </div>
      <ProblemAlert error={error} />
      <Saved shown={saved} />
      <Button type="submit" variant="primary">
        {t('save')}
      </Button>
    </form>
  )
}

/** The slot rows and the check to run before a form holding them is sent. */
export function useSlotRows(initial: () => SlotRow[], dailyCapacity: number) {
  const [rows, setRows] = useState(initial)
  const [showAll, setShowAll] = useState(false)
  const problems = slotProblems(rows, dailyCapacity)
  /** True when the rows can be sent; otherwise every problem shows and the first field takes the focus. */
  const check = () => {
    if (problems.size === 0) return true
    setShowAll(true)
    focusFirstProblem(rows, problems)
    return false
  }
  return { rows, setRows, problems, showAll, check, blocked: showAll && problems.size > 0 }
}

export function SlotsForm({
  site,
  path,
  onSaved,
}: {
  site: ScenicSiteRecord
  path: string
  onSaved: () => void
}) {
  const t = adminMessages.useT()
  const slots = useSlotRows(() => rowsOf(site.timeSlots), site.dailyCapacity)
  const [error, setError] = useState<unknown>(null)
  const [saved, setSaved] = useState(false)
  const submit = async (event: Event) => {
    event.preventDefault()
    setError(null)
    setSaved(false)
    if (!slots.check()) return
    try {
      const timeSlots = timeSlotsOf(slots.rows)
      await api(path, { method: 'PATCH', body: { timeSlots } })
      slots.setRows(rowsOf(timeSlots))
      setSaved(true)
      onSaved()
    } catch (failure) {
      setError(failure)
    }
  }
  return (
    <form class="card stack" onSubmit={submit} noValidate>
      <SlotEditor
        rows={slots.rows}
        onChange={(rows) => {
          setSaved(false)
          slots.setRows(rows)
        }}
        problems={slots.problems}
        showAll={slots.showAll}
        opensAt={site.opensAt}
      />
      {slots.blocked && (
        <p class="alert alert-error" role="alert">
          {t('slotsFixFirst')}
        </p>
      )}
      <ProblemAlert error={error} />
      <Saved shown={saved} />
      <Button type="submit" variant="primary">
        {t('saveSlots')}
      </Button>
    </form>
  )
}
