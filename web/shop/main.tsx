// The shop (served at /): shows with a live seat map, scenic sites, checkout and "My tickets".
import '../lib/base.css'
import './shop.css'
import { type ComponentType, render } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { Link, Routes, useLocation } from '../lib/router.tsx'
import { Shell } from '../lib/ui.tsx'
import { HoldBanner } from './hold-banner.tsx'
import { shopMessages } from './messages.ts'
import { CheckoutPage } from './pages/checkout.tsx'
import { GroupBuyPage } from './pages/group-buy.tsx'
import { GroupBuyShowPage } from './pages/group-buy-show.tsx'
import { HomePage } from './pages/home.tsx'
import { MyTicketsPage, OrderPage } from './pages/orders.tsx'
import { ScenicPage } from './pages/scenic.tsx'
import { ShowPage } from './pages/show.tsx'

function NotFound() {
  const t = shopMessages.useT()
  return (
    <section>
      <h1>{t('notFound')}</h1>
      <Link href="/">{t('home')}</Link>
    </section>
  )
}

/** The member centre, loaded on first visit (it stays out of the shop's first load). */
function LazyMemberPage(props: { organizerId: string }) {
  const [Page, setPage] = useState<ComponentType<{ organizerId: string }> | null>(null)
  useEffect(() => {
    void import('./components/member-checkout.tsx').then((module) => setPage(() => module.MemberPage))
  }, [])
  return Page && <Page {...props} />
}

function App() {
  const t = shopMessages.useT()
  const { path } = useLocation()
  document.title = t('brand')
  return (
    <Shell brand={<Link href="/">{t('brand')}</Link>} nav={<Link href="/my-tickets">{t('myTickets')}</Link>}>
      <HoldBanner onCheckout={path === '/checkout'} />
      <Routes
        routes={[
          { pattern: '/', render: () => <HomePage /> },
          { pattern: '/shows/:id', render: ({ id }) => <ShowPage key={id} showId={id!} /> },
          {
            pattern: '/shows/:id/group-buys',
            render: ({ id }) => <GroupBuyShowPage key={id} showId={id!} />,
          },
          { pattern: '/group-buys/:id', render: ({ id }) => <GroupBuyPage key={id} groupId={id!} /> },
          { pattern: '/scenic/:id', render: ({ id }) => <ScenicPage key={id} siteId={id!} /> },
          { pattern: '/checkout', render: () => <CheckoutPage /> },
          { pattern: '/my-tickets', render: () => <MyTicketsPage /> },
          { pattern: '/member/:id', render: ({ id }) => <LazyMemberPage key={id} organizerId={id!} /> },
          { pattern: '/orders/:id', render: ({ id }) => <OrderPage key={id} orderId={id!} /> },
        ]}
        fallback={<NotFound />}
      />
    </Shell>
  )
}

render(<App />, document.getElementById('app')!)
