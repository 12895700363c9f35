// A show's presale codes: generate N with a cap of uses each, a summary (codes, uses taken, used up), a search
// and a paged list (a show may have thousands), revoke one after asking, and export them all as CSV (papaparse
// through downloadCsv) with their uses as the show's inventory counts them.
import { useMemo, useState } from 'preact/hooks'
import type { PresaleCodesRecord } from '../../worker/routes/contracts/admin/sale-phases.ts'
import { ApiError, api } from '../lib/api.ts'
import { formatDateTime } from '../lib/format.ts'
import { useLocale } from '../lib/i18n.ts'
import { Button, Field, Loading, ProblemAlert, useResource } from '../lib/ui.tsx'
import { downloadCsv } from './export.ts'
import { TextInput } from './form.tsx'
import { adminMessages } from './messages.ts'

const PAGE = 25
type Code = PresaleCodesRecord['codes'][number]

export function PresaleCodes(props: { codesPath: string; showId: string; openToCodes: boolean }) {
  const t = adminMessages.useT()
  const locale = useLocale()
  const list = useResource(
    (signal) => api<PresaleCodesRecord>(props.codesPath, { signal }),
    [props.codesPath],
  )
  const [count, setCount] = useState('100')
  const [cap, setCap] = useState('1')
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({})
  const [error, setError] = useState<unknown>(null)
  const [notice, setNotice] = useState('')
  const [busy, setBusy] = useState(false)
  const [query, setQuery] = useState('')
  const [page, setPage] = useState(0)
  const [asking, setAsking] = useState<string | null>(null)

  const codes = list.data?.codes ?? []
  const wanted = query.toUpperCase().replace(/[\s-]/g, '')
  const found = useMemo(
    () => (wanted ? codes.filter((c) => c.code.includes(wanted)) : codes),
    [codes, wanted],
  )
  const pages = Math.max(1, Math.ceil(found.length / PAGE))
  const shown = found.slice(Math.min(page, pages - 1) * PAGE, Math.min(page, pages - 1) * PAGE + PAGE)
  const summary = useMemo(
    () => ({
      uses: codes.reduce((sum, c) => sum + c.uses, 0),
      cap: codes.reduce((sum, c) => sum + c.maxUses, 0),
      usedUp: codes.filter((c) => c.uses >= c.maxUses).length,
    }),
    [codes],
  )

  const say = (text: string, field: string) => {
    const room = /may have (\d+) more/.exec(text)
    if (room) return t('presale_err_room', { count: room[1]! })
    return t(field === 'maxUses' ? 'presale_err_cap' : 'presale_err_count')
  }
  const whole = (text: string) => (text.trim() && Number.isFinite(Number(text)) ? Number(text) : 0)

  const generate = async (event: Event) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    setNotice('')
    setFieldErrors({})
    try {
      const made = await api<PresaleCodesRecord>(props.codesPath, {
        body: { count: whole(count), maxUses: whole(cap) },
      })
      setNotice(t('presale_codesMade', { count: made.codes.length }))
      setQuery('')
      setPage(0)
      list.reload()
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'validation' && failure.problem.errors?.length) {
        const byField: Record<string, string> = {}
        for (const e of failure.problem.errors) {
          const field = /maxUses/.test(e.path ?? '') ? 'maxUses' : 'count'
          byField[field] = say(e.message, field)
        }
        setFieldErrors(byField)
      } else setError(failure)
    } finally {
      setBusy(false)
    }
  }

  const revoke = async (code: string) => {
    setError(null)
    setNotice('')
    try {
      await api(`${props.codesPath}/${encodeURIComponent(code)}`, { method: 'DELETE' })
      setNotice(t('presale_revoked', { code }))
      setAsking(null)
      setQuery('')
      list.reload()
    } catch (failure) {
      setError(failure)
    }
  }

  const exportCsv = () =>
    downloadCsv(`presale-codes-${props.showId}.csv`, [
      [t('presale_code'), t('presale_codeCap'), t('presale_codeUses'), t('presale_codeCreated')],
      ...codes.map((c: Code) => [c.code, String(c.maxUses), String(c.uses), c.createdAt]),
    ])

  const numberInput = (label: string, value: string, set: (v: string) => void, error?: string) => (
    <TextInput label={label} error={error} inputMode="numeric" value={value} onInput={set} />
  )

  return (
    <section class="card stack" aria-labelledby="codes-heading" data-testid="presale-codes">
      <h2 id="codes-heading">{t('presale_codes')}</h2>
      <p class="muted small">{t('presale_codesHint')}</p>
      {!props.openToCodes && codes.length > 0 && <p class="alert alert-info">{t('presale_codesNoPhase')}</p>}
      <form class="row" onSubmit={generate} noValidate>
        {numberInput(t('presale_codesCount'), count, setCount, fieldErrors.count)}
        {numberInput(t('presale_codesCap'), cap, setCap, fieldErrors.maxUses)}
        <Button type="submit" variant="primary" disabled={busy}>
          {busy ? t('presale_codesGenerating') : t('presale_codesGenerate')}
        </Button>
      </form>
      {notice && (
        <p class="alert alert-info" role="status" data-testid="codes-notice">
          {notice}
        </p>
      )}
      <ProblemAlert error={error ?? list.error} onRetry={list.error ? list.reload : undefined} />
      {!list.data && !list.error && <Loading />}
      {list.data && codes.length === 0 && <p class="muted">{t('presale_codesNone')}</p>}
      {codes.length > 0 && (
        <>
          <p data-testid="codes-summary">
            {t('presale_codesSummary', {
              count: codes.length,
              uses: summary.uses,
              cap: summary.cap,
              usedUp: summary.usedUp,
            })}
          </p>
          <div class="row">
            <Field label={t('presale_codesSearch')}>
              {({ id }) => (
                <input
                  id={id}
                  type="search"
                  value={query}
                  onInput={(e) => {
                    setQuery((e.target as HTMLInputElement).value)
                    setPage(0)
                  }}
                />
              )}
            </Field>
            <Button onClick={exportCsv}>{t('presale_codesExport')}</Button>
          </div>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a table wider than a phone scrolls, so keyboard users must reach it */}
          <section class="table-scroll" aria-label={t('presale_codes')} tabIndex={0}>
            <table data-testid="codes-table">
              <thead>
                <tr>
                  <th scope="col">{t('presale_code')}</th>
                  <th scope="col" class="numeric">
                    {t('presale_codeUsesOfCap')}
                  </th>
                  <th scope="col">{t('presale_codeCreated')}</th>
                  <th scope="col">
                    <span class="visually-hidden">{t('presale_revoke')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {shown.map((c) => (
                  <tr key={c.code} data-testid="code-row">
                    <td>
                      <code>{c.code}</code>
                    </td>
                    <td class="numeric">
                      {c.uses}/{c.maxUses}
                      {c.uses >= c.maxUses && <span class="badge">{t('presale_codeUsedUp')}</span>}
                    </td>
                    <td>{formatDateTime(c.createdAt, locale)}</td>
                    <td>
                      {asking === c.code ? (
                        <span class="row">
                          <span class="small">{t('presale_revokeAsk', { code: c.code })}</span>
                          <Button variant="danger" onClick={() => revoke(c.code)}>
                            {t('presale_revokeYes')}
                          </Button>
                          <Button onClick={() => setAsking(null)}>{t('presale_revokeNo')}</Button>
                        </span>
                      ) : (
                        <Button
                          aria-label={`${t('presale_revoke')} ${c.code}`}
                          onClick={() => setAsking(c.code)}
                        >
                          {t('presale_revoke')}
                        </Button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          {pages > 1 && (
            <div class="row">
              <Button disabled={page === 0} onClick={() => setPage(Math.max(0, page - 1))}>
                {t('presale_codesPrev')}
              </Button>
              <span data-testid="codes-page">
                {t('presale_codesPage', { page: Math.min(page, pages - 1) + 1, pages })}
              </span>
              <Button disabled={page >= pages - 1} onClick={() => setPage(page + 1)}>
                {t('presale_codesNext')}
              </Button>
            </div>
          )}
        </>
      )}
    </section>
  )
}
