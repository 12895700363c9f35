// The admin console (served at /admin): organizer staff sign in, pick an organizer and manage venues and seat
// maps, events and shows, scenic sites, orders, sales channels and staff; the dashboard charts sales.
import '../lib/base.css'
import './admin.css'
import { render } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { api } from '../lib/api.ts'
import { Link, Routes, useLocation } from '../lib/router.tsx'
import { Loading, ProblemAlert, Shell } from '../lib/ui.tsx'
import { type AdminKey, adminMessages } from './messages.ts'
import { AccountPage } from './pages/account.tsx'
import { CouponsPage } from './pages/coupons.tsx'
import { DashboardPage } from './pages/dashboard.tsx'
import { DistributionPage } from './pages/distribution.tsx'
import { EventPage, EventsPage } from './pages/events.tsx'
import { GatesPage } from './pages/gates.tsx'
import { GroupBuysPage } from './pages/group-buys.tsx'
import { PartnersPage, WebhookPage, WebhooksPage } from './pages/integrations.tsx'
import { InvitationPage } from './pages/invitation.tsx'
import { KiosksPage } from './pages/kiosks.tsx'
import { MembersPage } from './pages/members.tsx'
import { MessagesPage } from './pages/messages.tsx'
import { OrderPage } from './pages/order.tsx'
import { OrdersPage } from './pages/orders.tsx'
import { SitePage, SitesPage } from './pages/scenic.tsx'
import { ShowPage } from './pages/show.tsx'
import { ShowPresalePage } from './pages/show-presale.tsx'
import { ShowPricingPage } from './pages/show-pricing.tsx'
import { SignInPage } from './pages/sign-in.tsx'
import { ChannelsPage, StaffPage } from './pages/team.tsx'
import { VenuePage, VenuesPage } from './pages/venues.tsx'
import { type Me, type OrganizerSummary, SessionProvider, useSession } from './session.tsx'

const sections: { href: string; key: AdminKey }[] = [
  { href: '/admin', key: 'navDashboard' },
  { href: '/admin/venues', key: 'navVenues' },
  { href: '/admin/events', key: 'navEvents' },
  { href: '/admin/scenic', key: 'navScenic' },
  { href: '/admin/orders', key: 'navOrders' },
  { href: '/admin/channels', key: 'navChannels' },
  { href: '/admin/staff', key: 'navStaff' },
  { href: '/admin/partners', key: 'navPartners' },
  { href: '/admin/webhooks', key: 'navWebhooks' },
  { href: '/admin/messages', key: 'navMessages' },
  { href: '/admin/gates', key: 'navGates' },
  { href: '/admin/kiosks', key: 'navKiosks' },
  { href: '/admin/group-buys', key: 'navGroupBuys' },
  { href: '/admin/coupons', key: 'navCoupons' },
  { href: '/admin/distribution', key: 'navDistribution' },
  { href: '/admin/members', key: 'navMembers' },
]

function Nav() {
  const t = adminMessages.useT()
  const { path } = useLocation()
  const current = (href: string) =>
    href === '/admin' ? path === '/admin' || path === '/admin/' : path.startsWith(href)
  return (
    <ul class="admin-nav">
      {sections.map((section) => (
        <li key={section.href}>
          <Link href={section.href} aria-current={current(section.href) ? 'page' : undefined}>
            {t(section.key)}
          </Link>
        </li>
      ))}
    </ul>
  )
}

function OrganizerBar() {
  const t = adminMessages.useT()
  const session = useSession()
  return (
    <div class="organizer-bar">
      <label>
        <span>{t('organizer')}</span>{' '}
        <select
          data-testid="organizer-switch"
          value={session.organizer.id}
          onChange={(event) => session.switchOrganizer((event.target as HTMLSelectElement).value)}
        >
          {[...session.organizers]
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((organizer) => (
              <option key={organizer.id} value={organizer.id}>
                {organizer.name}
              </option>
            ))}
        </select>
      </label>
      <Link href="/admin/account" class="muted small" aria-label={`${t('account')}: ${session.me.email}`}>
        {session.me.email}
      </Link>
      <button type="button" class="button button-secondary" onClick={() => session.signOut()}>
        {t('signOut')}
      </button>
    </div>
  )
}

function NotFound() {
  const t = adminMessages.useT()
  return (
    <section>
      <h1>{t('notFound')}</h1>
      <Link href="/admin">{t('navDashboard')}</Link>
    </section>
  )
}

/** Keeps `--header-height` at the sticky header's real height, so a field focused after a failed submit scrolls
 * into view below it instead of under it (the header wraps to two or three lines on phones). */
function useHeaderHeight() {
  useEffect(() => {
    const header = document.querySelector<HTMLElement>('.app-header')
    if (!header) return
    const measure = () =>
      document.documentElement.style.setProperty(
        '--header-height',
        `${header.getBoundingClientRect().height}px`,
      )
    measure()
    const observer = new ResizeObserver(measure)
    observer.observe(header)
    return () => observer.disconnect()
  }, [])
}

function Console() {
  const session = useSession()
  useHeaderHeight()
  // Pages keyed by organizer: switching reloads every list for the new organizer.
  return (
    <div key={session.organizer.id}>
      <OrganizerBar />
      <Routes
        routes={[
          { pattern: '/admin', render: () => <DashboardPage /> },
          { pattern: '/admin/venues', render: () => <VenuesPage /> },
          { pattern: '/admin/venues/:id', render: (p) => <VenuePage id={p.id!} /> },
          { pattern: '/admin/events', render: () => <EventsPage /> },
          { pattern: '/admin/events/:id', render: (p) => <EventPage id={p.id!} /> },
          { pattern: '/admin/shows/:id', render: (p) => <ShowPage id={p.id!} /> },
          { pattern: '/admin/shows/:id/pricing', render: (p) => <ShowPricingPage id={p.id!} /> },
          { pattern: '/admin/shows/:id/presale', render: (p) => <ShowPresalePage id={p.id!} /> },
          { pattern: '/admin/scenic', render: () => <SitesPage /> },
          { pattern: '/admin/scenic/:id', render: (p) => <SitePage id={p.id!} /> },
          { pattern: '/admin/orders', render: () => <OrdersPage /> },
          { pattern: '/admin/orders/:id', render: (p) => <OrderPage id={p.id!} /> },
          { pattern: '/admin/channels', render: () => <ChannelsPage /> },
          { pattern: '/admin/staff', render: () => <StaffPage /> },
          { pattern: '/admin/partners', render: () => <PartnersPage /> },
          { pattern: '/admin/webhooks', render: () => <WebhooksPage /> },
          { pattern: '/admin/webhooks/:id', render: (p) => <WebhookPage id={p.id!} /> },
          { pattern: '/admin/messages', render: () => <MessagesPage /> },
          { pattern: '/admin/gates', render: () => <GatesPage /> },
          { pattern: '/admin/kiosks', render: () => <KiosksPage /> },
          { pattern: '/admin/group-buys', render: () => <GroupBuysPage /> },
          { pattern: '/admin/coupons', render: () => <CouponsPage /> },
          { pattern: '/admin/distribution', render: () => <DistributionPage /> },
          { pattern: '/admin/members', render: () => <MembersPage /> },
          { pattern: '/admin/account', render: () => <AccountPage /> },
        ]}
        fallback={<NotFound />}
      />
    </div>
  )
}

type State =
  | { status: 'loading' }
  | { status: 'signedOut' }
  | { status: 'error'; error: unknown }
  | { status: 'signedIn'; me: Me; organizers: OrganizerSummary[] }

async function loadSession(): Promise<State> {
  try {
    const me = await api<Me>('/api/auth/me')
    const list = await api<{ items: OrganizerSummary[] }>('/api/admin/organizers', { query: { limit: 200 } })
    return { status: 'signedIn', me, organizers: list.items }
  } catch (error) {
    if ((error as { status?: number }).status === 401) return { status: 'signedOut' }
    return { status: 'error', error }
  }
}

function App() {
  const t = adminMessages.useT()
  const [state, setState] = useState<State>({ status: 'loading' })
  const refresh = () => loadSession().then(setState)
  useEffect(() => {
    refresh()
  }, [])
  const appTitle = t('title')
  useEffect(() => {
    document.title = appTitle
  }, [appTitle])
  const { path } = useLocation()
  const signedIn = state.status === 'signedIn' && state.organizers.length > 0
  // An invitation link works signed in or out, and before the invitee belongs to any organizer.
  if (path === '/admin/invitation')
    return (
      <Shell brand={<Link href="/admin">{t('title')}</Link>}>
        <InvitationPage onJoined={refresh} />
      </Shell>
    )
  return (
    <Shell brand={<Link href="/admin">{t('title')}</Link>} nav={signedIn ? <Nav /> : undefined}>
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <ProblemAlert error={state.error} onRetry={refresh} />}
      {state.status === 'signedOut' && <SignInPage onSignedIn={refresh} />}
      {state.status === 'signedIn' && state.organizers.length === 0 && (
        <section>
          <h1>{t('title')}</h1>
          <p>{t('noOrganizers')}</p>
        </section>
      )}
      {signedIn && (
        <SessionProvider
          me={state.me}
          organizers={state.organizers}
          onSignedOut={() => setState({ status: 'signedOut' })}
        >
          <Console />
        </SessionProvider>
      )}
    </Shell>
  )
}

render(<App />, document.getElementById('app')!)
