// Sales channels by the names organizers gave them (orders store the channel's code).
import type { SalesChannelRecord } from '../../worker/routes/contracts/admin/sales-channels.ts'
import { api } from '../lib/api.ts'
import { useLocale } from '../lib/i18n.ts'
import { localName } from '../lib/labels.ts'
import { useResource } from '../lib/ui.tsx'
import { adminMessages } from './messages.ts'
import { useSession } from './session.tsx'
import type { PageOf } from './table.tsx'

/** The platform's own channels: their orders carry these codes whether or not the organizer named a channel so. */
const builtIn = new Set(['kiosk', 'box_office'])

/** Sales channel code → the name the organizer gave it, in the console's language (the platform's own name else). */
export function useChannelNames() {
  const { base } = useSession()
  const locale = useLocale()
  const t = adminMessages.useT()
  const channels = useResource(
    (signal) => api<PageOf<SalesChannelRecord>>(`${base}/sales-channels`, { signal, query: { limit: 200 } }),
    [base],
  )
  const names = new Map((channels.data?.items ?? []).map((c) => [c.code, localName(c, locale)]))
  return (code: string) =>
    names.get(code) ?? (builtIn.has(code) ? t(`channelKind_${code}` as 'channelKind_kiosk') : code)
}
