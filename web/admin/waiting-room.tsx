// The organizer's waiting-room switch for one on-sale (a show, or a scenic site's visit date): on/off, opening
// time, admission per minute or following buyers' pace, the bot check, and how long an admitted buyer's pass
// lasts, and how many rooms (shards) the queue is split over; beside it the queue as buyers see it now (state, waiting, let in per minute), read every few seconds.
import { useEffect, useState } from 'preact/hooks'
import { MAX_SHARDS, ROOM_JOINS_PER_SECOND } from '../../worker/domain/waiting-room.ts'
import type { WaitingRoomRecord } from '../../worker/routes/contracts/waiting-room.ts'
import { api } from '../lib/api.ts'
import { Button, ProblemAlert, useResource } from '../lib/ui.tsx'
import { CheckboxInput, isoToLocal, localToIso, TextInput } from './form.tsx'
import { waitingRoomMessages } from './waiting-room-messages.ts'

type WaitingRoomSettingsBody = NonNullable<WaitingRoomRecord['settings']>

/** The next full hour, as a first opening time to offer. */
const nextHour = () => new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000).toISOString()

export function WaitingRoomPanel(props: {
  /** The admin API path of the on-sale's waiting room (GET the settings and queue, PUT the settings). */
  settingsPath: string
  heading?: string
}) {
  const t = waitingRoomMessages.useT()
  const settings = useResource(
    (signal) => api<WaitingRoomRecord>(props.settingsPath, { signal }),
    [props.settingsPath],
  )
  const [form, setForm] = useState<{
    enabled: boolean
    opensAt: string
    follow: boolean
    perMinute: string
    requireChallenge: boolean
    passMinutes: string
    shards: string
  } | null>(null)
  const [shardsError, setShardsError] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [saved, setSaved] = useState(false)
  const [live, setLive] = useState<WaitingRoomRecord['queue'] | null>(null)

  useEffect(() => {
    if (settings.loading || settings.error || !settings.data) return
    const s: Partial<WaitingRoomSettingsBody> = settings.data.settings ?? {}
    setLive(settings.data.queue)
    setForm({
      enabled: s.enabled ?? false,
      opensAt: isoToLocal(s.opensAt ?? nextHour()),
      follow: s.admissionPerMinute == null,
      perMinute: s.admissionPerMinute == null ? '100' : String(s.admissionPerMinute),
      requireChallenge: s.requireChallenge ?? false,
      passMinutes: String(s.passMinutes ?? 10),
      shards: String(s.shards ?? 1),
    })
  }, [settings.data, settings.loading])

  // The queue's figures follow every few seconds while the sale uses one (the form stays as typed).
  const enabled = settings.data?.settings?.enabled ?? false
  useEffect(() => {
    if (!enabled) return
    let stopped = false
    const timer = setInterval(
      () =>
        api<WaitingRoomRecord>(props.settingsPath).then(
          (record) => !stopped && setLive(record.queue),
          () => undefined,
        ),
      5_000,
    )
    return () => {
      stopped = true
      clearInterval(timer)
    }
  }, [props.settingsPath, enabled])

  const save = async (event: Event) => {
    event.preventDefault()
    if (!form) return
    setError(null)
    setSaved(false)
    const shards = Number(form.shards)
    if (!Number.isInteger(shards) || shards < 1 || shards > MAX_SHARDS) {
      setShardsError(t('shardsInvalid', { max: MAX_SHARDS }))
      return
    }
    setShardsError(null)
    try {
      await api(props.settingsPath, {
        method: 'PUT',
        body: {
          enabled: form.enabled,
          opensAt: localToIso(form.opensAt),
          admissionPerMinute: form.follow ? null : Number(form.perMinute),
          requireChallenge: form.requireChallenge,
          passMinutes: Number(form.passMinutes),
          shards,
        } satisfies WaitingRoomSettingsBody,
      })
      setSaved(true)
      settings.reload()
    } catch (failure) {
      setError(failure)
    }
  }

  return (
    <section class="card stack" aria-labelledby="waiting-room-heading" data-testid="waiting-room-panel">
      <h2 id="waiting-room-heading">{props.heading ?? t('heading')}</h2>
      <p class="muted small">{t('hint')}</p>
      {settings.error ? <ProblemAlert error={settings.error} onRetry={settings.reload} /> : null}
      {live && enabled && (
        <dl class="figures" data-testid="waiting-room-live" data-state={live.state}>
          <div>
            <dt>{t('liveHeading')}</dt>
            <dd>{t(`state_${live.state}`)}</dd>
          </div>
          <div>
            <dt>{t('waiting')}</dt>
            <dd data-testid="waiting-room-waiting">{live.waiting}</dd>
          </div>
          <div>
            <dt>{t('admittedPerMinute')}</dt>
            <dd>{live.admittedPerMinute}</dd>
          </div>
        </dl>
      )}
      {form && (
        <form class="stack" onSubmit={save}>
          <CheckboxInput
            label={t('enabled')}
            checked={form.enabled}
            onChange={(enabled) => setForm({ ...form, enabled })}
          />
          <TextInput
            label={t('opensAt')}
            type="datetime-local"
            value={form.opensAt}
            onInput={(opensAt) => setForm({ ...form, opensAt })}
            hint={t('opensAtHint')}
            required={form.enabled}
            name="waiting-room-opens-at"
          />
          <fieldset class="stack-tight">
            <legend>{t('pace')}</legend>
            <label class="row">
              <input
                type="radio"
                name="waiting-room-pace"
                checked={form.follow}
                onChange={() => setForm({ ...form, follow: true })}
              />
              {t('paceFollow')}
            </label>
            <label class="row">
              <input
                type="radio"
                name="waiting-room-pace"
                checked={!form.follow}
                onChange={() => setForm({ ...form, follow: false })}
              />
              {t('paceFixed')}
            </label>
            {!form.follow && (
              <TextInput
                label={t('perMinute')}
                type="number"
                min="1"
                inputMode="numeric"
                value={form.perMinute}
                onInput={(perMinute) => setForm({ ...form, perMinute })}
                required
              />
            )}
          </fieldset>
          <CheckboxInput
            label={t('requireChallenge')}
            checked={form.requireChallenge}
            onChange={(requireChallenge) => setForm({ ...form, requireChallenge })}
          />
          <TextInput
            label={t('passMinutes')}
            type="number"
            min="1"
            inputMode="numeric"
            value={form.passMinutes}
            onInput={(passMinutes) => setForm({ ...form, passMinutes })}
            required
          />
          <TextInput
            label={t('shards')}
            type="number"
            inputMode="numeric"
            value={form.shards}
            onInput={(shards) => setForm({ ...form, shards })}
            hint={t('shardsHint', { perShard: ROOM_JOINS_PER_SECOND, max: MAX_SHARDS })}
            error={shardsError}
            name="waiting-room-shards"
            required
          />
          <ProblemAlert error={error} messages={{ conflict: t('shardsFixed') }} />
          <div class="row">
            <Button type="submit" variant="primary">
              {t('save')}
            </Button>
            {saved && (
              <span role="status" data-testid="waiting-room-saved">
                {t('saved')}
              </span>
            )}
          </div>
        </form>
      )}
    </section>
  )
}
