import { useState } from 'preact/hooks'
import type { SalesChannelRecord } from '../../../worker/routes/contracts/admin/sales-channels.ts'
import type { StaffInvitation, StaffMember } from '../../../worker/routes/contracts/admin/staff.ts'
import { api } from '../../lib/api.ts'
import { formatDateTime } from '../../lib/format.ts'
import { getLocale, useLocale } from '../../lib/i18n.ts'
import { localName } from '../../lib/labels.ts'
import { Button, Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { NameEnInput, SelectInput, TextInput } from '../form.tsx'
import { adminMessages } from '../messages.ts'
import { useSession } from '../session.tsx'
import { DataTable, type PageOf } from '../table.tsx'

const channelKinds = ['own_site', 'ota', 'kiosk', 'box_office']

export function ChannelsPage() {
  const t = adminMessages.useT()
  const locale = useLocale()
  const { base } = useSession()
  const list = useResource(
    (signal) => api<PageOf<SalesChannelRecord>>(`${base}/sales-channels`, { signal, query: { limit: 200 } }),
    [base],
  )
  const [name, setName] = useState('')
  const [nameEn, setNameEn] = useState('')
  const [code, setCode] = useState('')
  const [kind, setKind] = useState('ota')
  const [commission, setCommission] = useState('0')
  const [error, setError] = useState<unknown>(null)
  const create = async (event: Event) => {
    event.preventDefault()
    setError(null)
    try {
      await api(`${base}/sales-channels`, {
        body: { name, nameEn, code, kind, commissionBps: Math.round(Number(commission) * 100) },
      })
      setName('')
      setNameEn('')
      setCode('')
      list.reload()
    } catch (failure) {
      setError(failure)
    }
  }
  const toggle = async (channel: SalesChannelRecord) => {
    setError(null)
    try {
      await api(`${base}/sales-channels/${channel.id}`, {
        method: 'PATCH',
        body: { active: !channel.active },
      })
      list.reload()
    } catch (failure) {
      setError(failure)
    }
  }
  return (
    <section class="stack">
      <h1>{t('navChannels')}</h1>
      {list.error ? <ProblemAlert error={list.error} onRetry={list.reload} /> : null}
      {list.data ? (
        <DataTable
          caption={t('navChannels')}
          rows={list.data.items}
          rowKey={(c) => c.id}
          columns={[
            { header: t('name'), cell: (c) => localName(c, locale) },
            { header: t('code'), cell: (c) => <code>{c.code}</code> },
            { header: t('kind'), cell: (c) => t(`channelKind_${c.kind}` as never) },
            { header: t('commission'), cell: (c) => `${c.commissionBps / 100}%`, numeric: true },
            {
              header: t('active'),
              cell: (c) => (
                <div class="row">
                  <span>{c.active ? t('yes') : t('no')}</span>
                  <Button
                    onClick={() => toggle(c)}
                    aria-label={`${c.active ? t('deactivate') : t('activate')} ${localName(c, locale)}`}
                  >
                    {c.active ? t('deactivate') : t('activate')}
                  </Button>
                </div>
              ),
            },
          ]}
        />
      ) : (
        !list.error && <Loading />
      )}
      <form class="card stack" onSubmit={create}>
        <h2>{t('newChannel')}</h2>
        <TextInput label={t('name')} value={name} onInput={setName} required />
        <NameEnInput value={nameEn} onInput={setNameEn} name="channel-name-en" />
        <TextInput label={t('code')} value={code} onInput={setCode} required hint={t('codeHint')} />
        <SelectInput
          label={t('kind')}
          value={kind}
          onChange={setKind}
          options={channelKinds.map((k) => ({ value: k, label: t(`channelKind_${k}` as never) }))}
        />
        <TextInput
          label={t('commissionPercent')}
          type="number"
          step="0.01"
          min="0"
          value={commission}
          onInput={setCommission}
          inputMode="decimal"
        />
        <ProblemAlert error={error} />
        <Button type="submit" variant="primary">
          {t('create')}
        </Button>
      </form>
    </section>
  )
}

const roles = ['owner', 'manager', 'gate', 'box_office']

export function StaffPage() {
  const t = adminMessages.useT()
  const locale = useLocale()
  const { base } = useSession()
  const list = useResource((signal) => api<{ items: StaffMember[] }>(`${base}/staff`, { signal }), [base])
  const invitations = useResource(
    (signal) => api<{ items: StaffInvitation[] }>(`${base}/staff/invitations`, { signal }),
    [base],
  )
  const [email, setEmail] = useState('')
  const [role, setRole] = useState('manager')
  const [sentTo, setSentTo] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const run = async (call: () => Promise<unknown>) => {
    setError(null)
    setSentTo(null)
    try {
      await call()
      list.reload()
      invitations.reload()
    } catch (failure) {
      setError(failure)
    }
  }
  const invite = (event: Event) => {
    event.preventDefault()
    run(async () => {
      const sent = await api<StaffInvitation>(`${base}/staff/invitations`, {
        body: { email, role, locale: getLocale() },
      })
      setEmail('')
      setSentTo(sent.email)
    })
  }
  return (
    <section class="stack">
      <h1>{t('navStaff')}</h1>
      <ProblemAlert error={list.error} />
      {list.data ? (
        <DataTable
          caption={t('navStaff')}
          rows={list.data.items}
          rowKey={(m) => m.userId}
          columns={[
            { header: t('name'), cell: (m) => m.name },
            { header: t('email'), cell: (m) => m.email },
            {
              header: t('role'),
              cell: (m) => (
                <select
                  aria-label={`${m.email}: ${t('role')}`}
                  value={m.role}
                  onChange={(e) =>
                    run(() =>
                      api(`${base}/staff/${m.userId}`, {
                        method: 'PATCH',
                        body: { role: (e.target as HTMLSelectElement).value },
                      }),
                    )
                  }
                >
                  {roles.map((r) => (
                    <option key={r} value={r}>
                      {t(`role_${r}` as never)}
                    </option>
                  ))}
                </select>
              ),
            },
            {
              header: t('remove'),
              cell: (m) => (
                <Button
                  variant="danger"
                  aria-label={`${t('remove')} ${m.email}`}
                  onClick={() =>
                    confirm(t('removeConfirm', { email: m.email })) &&
                    run(() => api(`${base}/staff/${m.userId}`, { method: 'DELETE' }))
                  }
                >
                  {t('remove')}
                </Button>
              ),
            },
          ]}
        />
      ) : (
        !list.error && <Loading />
      )}
      <h2>{t('pendingInvitations')}</h2>
      <ProblemAlert error={invitations.error} />
      {invitations.data ? (
        invitations.data.items.length === 0 ? (
          <p class="muted">{t('noInvitations')}</p>
        ) : (
          <DataTable
            caption={t('pendingInvitations')}
            rows={invitations.data.items}
            rowKey={(i) => i.id}
            columns={[
              { header: t('email'), cell: (i) => i.email },
              { header: t('role'), cell: (i) => t(`role_${i.role}` as never) },
              { header: t('expires'), cell: (i) => formatDateTime(i.expiresAt, locale) },
              {
                header: t('revokeInvitation'),
                cell: (i) => (
                  <Button
                    variant="danger"
                    aria-label={`${t('revokeInvitation')} ${i.email}`}
                    onClick={() =>
                      confirm(t('revokeInvitationConfirm', { email: i.email })) &&
                      run(() => api(`${base}/staff/invitations/${i.id}`, { method: 'DELETE' }))
                    }
                  >
                    {t('revokeInvitation')}
                  </Button>
                ),
              },
            ]}
          />
        )
      ) : (
        !invitations.error && <Loading />
      )}
      <form class="card stack" onSubmit={invite}>
        <h2>{t('inviteStaff')}</h2>
        <p class="muted small">{t('inviteHint')}</p>
        <TextInput
          label={t('email')}
          name="invite-email"
          type="email"
          value={email}
          onInput={setEmail}
          required
        />
        <SelectInput
          label={t('role')}
          value={role}
          onChange={setRole}
          options={roles.map((r) => ({ value: r, label: t(`role_${r}` as never) }))}
        />
        <ProblemAlert error={error} />
        {sentTo && (
          <p class="alert alert-info" role="status">
            {t('invitationSent', { email: sentTo })}
          </p>
        )}
        <Button type="submit" variant="primary">
          {t('sendInvitation')}
        </Button>
      </form>
    </section>
  )
}
