// The names buyers read for a venue: its city and each section of its seat map (池座 / Stalls), each with an
// optional English name. A section's key (the code in its seats' labels, e.g. `Stalls` of `Stalls-A-12`) never
// changes here: tickets, holds and partners keep it; only the names shown beside it do.
import { useState } from 'preact/hooks'
import type { VenueRecord } from '../../worker/routes/contracts/admin/venues.ts'
import { api } from '../lib/api.ts'
import { Button, ProblemAlert } from '../lib/ui.tsx'
import { TextInput } from './form.tsx'
import { adminMessages } from './messages.ts'

export function VenueNamesForm(props: {
  venue: VenueRecord
  /** Section keys of the venue's seat map, in its order. */
  sectionKeys: string[]
  path: string
  onSaved: () => void
}) {
  const t = adminMessages.useT()
  const [city, setCity] = useState(props.venue.city)
  const [cityEn, setCityEn] = useState(props.venue.cityEn ?? '')
  const [names, setNames] = useState<Record<string, { name: string; nameEn: string }>>(() =>
    Object.fromEntries(
      props.venue.sectionNames.map((s) => [s.key, { name: s.name, nameEn: s.nameEn ?? '' }]),
    ),
  )
  const [error, setError] = useState<unknown>(null)
  const [saved, setSaved] = useState(false)
  // The seat map's sections in its order, then any named earlier that the map no longer has.
  const shown = [...new Set([...props.sectionKeys, ...Object.keys(names)])].map((key) => ({
    key,
    name: names[key]?.name ?? '',
    nameEn: names[key]?.nameEn ?? '',
  }))
  const setSection = (key: string, field: 'name' | 'nameEn') => (value: string) => {
    setSaved(false)
    const row = shown.find((r) => r.key === key)!
    setNames({ ...names, [key]: { name: row.name, nameEn: row.nameEn, [field]: value } })
  }
  const submit = async (event: Event) => {
    event.preventDefault()
    setError(null)
    setSaved(false)
    try {
      await api(props.path, {
        method: 'PATCH',
        body: {
          city,
          cityEn,
          // A section without a main name reads as its key, so it is left out rather than sent blank.
          sectionNames: shown
            .filter((row) => row.name.trim())
            .map((row) => ({
              key: row.key,
              name: row.name,
              ...(row.nameEn.trim() ? { nameEn: row.nameEn } : {}),
            })),
        },
      })
      setSaved(true)
      props.onSaved()
    } catch (failure) {
      setError(failure)
    }
  }
  return (
    <form
      class="card stack"
      onSubmit={submit}
      aria-labelledby="venue-names-heading"
      data-testid="venue-names"
    >
      <h2 id="venue-names-heading">{t('s7names_heading')}</h2>
      <p class="muted small">{t('s7names_hint')}</p>
      <div class="form-grid">
        <TextInput label={t('city')} value={city} onInput={setCity} name="venue-city" required />
        <TextInput
          label={t('s7names_cityEn')}
          hint={t('names_nameEnHint')}
          value={cityEn}
          onInput={setCityEn}
          name="venue-city-en"
        />
      </div>
      {shown.length > 0 && (
        <fieldset class="stack">
          <legend>{t('s7names_sections')}</legend>
          {shown.map((row) => (
            <div class="form-grid" key={row.key} data-section-key={row.key}>
              <TextInput
                label={
                  <>
                    {t('s7names_sectionName')} <code>{row.key}</code>
                  </>
                }
                hint={t('s7names_sectionNameHint')}
                value={row.name}
                onInput={setSection(row.key, 'name')}
                name={`section-name-${row.key}`}
              />
              <TextInput
                label={
                  <>
                    {t('s7names_sectionNameEn')} <code>{row.key}</code>
                  </>
                }
                value={row.nameEn}
                onInput={setSection(row.key, 'nameEn')}
                name={`section-name-en-${row.key}`}
              />
            </div>
          ))}
        </fieldset>
      )}
      <ProblemAlert error={error} />
      {saved && (
        <p role="status" class="alert alert-info">
          {t('saved')}
        </p>
      )}
      <Button type="submit" variant="primary">
        {t('s7names_save')}
      </Button>
    </form>
  )
}
