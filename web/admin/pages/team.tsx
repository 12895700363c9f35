import { useState } from 'preact/hooks'
import { api } from '../../lib/api.ts'
import { Button, Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { CheckboxInput, SelectInput, TextInput } from '../form.tsx'
import { adminMessages } from '../messages.ts'
import { useSession } from '../session.tsx'
import { DataTable, type PageOf } from '../table.tsx'

interface Channel {
  id: string
  name: string
  code: string
  kind: string
  active: boolean
  commissionBps: number
}

const channelKinds = ['own_site', 'ota', 'kiosk', 'box_office']

export function ChannelsPage() {
  const t = adminMessages.useT()
  const { base } = useSession()
  const list = useResource(
    (signal) => api<PageOf<Channel>>(`${base}/sales-channels`, { signal, query: { limit: 200 } }),
    [base],
  )
  const [name, setName] = useState('')
  const [code, setCode] = useState('')
  const [kind, setKind] = useState('ota')
  const [commission, setCommission] = useState('0')
  const [error, setError] = useState<unknown>(null)
  const create = async (event: Event) => {
    event.preventDefault()
    setError(null)
    try {
      await api(`${base}/sales-channels`, {
        body: { name, code, kind, commissionBps: Math.round(Number(commission) * 100) },
      })
      setName('')
      setCode('')
      list.reload()
    } catch (failure) {
      setError(failure)
    }
  }
  const toggle = async (channel: Channel) => {
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
            { header: t('name'), cell: (c) => c.name },
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
                    aria-label={`${c.active ? t('deactivate') : t('activate')} ${c.name}`}
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

interface Member {
  userId: string
  email: string
  name: string
  role: 'owner' | 'manager' | 'gate'
}

const roles = ['owner', 'manager', 'gate']

export function StaffPage() {
  const t = adminMessages.useT()
  const { base } = useSession()
  const list = useResource((signal) => api<{ items: Member[] }>(`${base}/staff`, { signal }), [base])
  const [email, setEmail] = useState('')
  const [name, setName] = useState('')
  const [role, setRole] = useState('manager')
  const [password, setPassword] = useState('')
  const [newAccount, setNewAccount] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const run = async (call: () => Promise<unknown>) => {
    setError(null)
    try {
      await call()
      list.reload()
    } catch (failure) {
      setError(failure)
    }
  }
  const add = (event: Event) => {
    event.preventDefault()
    run(async () => {
      await api(`${base}/staff`, { body: { email, name, role, ...(newAccount ? { password } : {}) } })
      setEmail('')
      setName('')
      setPassword('')
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
      <form class="card stack" onSubmit={add}>
        <h2>{t('addStaff')}</h2>
        <TextInput label={t('email')} type="email" value={email} onInput={setEmail} required />
        <TextInput label={t('name')} value={name} onInput={setName} required />
        <SelectInput
          label={t('role')}
          value={role}
          onChange={setRole}
          options={roles.map((r) => ({ value: r, label: t(`role_${r}` as never) }))}
        />
        <CheckboxInput label={t('newAccount')} checked={newAccount} onChange={setNewAccount} />
        {newAccount && (
          <TextInput
            label={t('initialPassword')}
            type="password"
            value={password}
            onInput={setPassword}
            required
            autoComplete="new-password"
          />
        )}
        <ProblemAlert error={error} />
        <Button type="submit" variant="primary">
          {t('add')}
        </Button>
      </form>
    </section>
  )
}
