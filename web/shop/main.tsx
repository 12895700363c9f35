// The shop (served at /): shows with a live seat map, scenic sites, checkout and "My tickets".
import '../lib/base.css'
import './shop.css'
import { render } from 'preact'
import { rememberLandingSource } from '../lib/analytics.ts'
import { lazyPage } from '../lib/lazy-page.tsx'
import { Link, Routes, useLocation } from '../lib/router.tsx'
import { Shell } from '../lib/ui.tsx'
import { captureShareRef } from './components/share-ref.ts'
import { HoldBanner } from './hold-banner.tsx'
import { shopMessages } from './messages.ts'
import { HomePage } from './pages/home.tsx'

// The home page comes with the shell; every other page is its own file, loaded when opened (web/lib/lazy-page.tsx).
const ShowPage = lazyPage(() => import('./pages/show.tsx').then((m) => m.ShowPage))
const GroupBuyShowPage = lazyPage(() => import('./pages/group-buy-show.tsx').then((m) => m.GroupBuyShowPage))
const GroupBuyPage = lazyPage(() => import('./pages/group-buy.tsx').then((m) => m.GroupBuyPage))
const ScenicPage = lazyPage(() => import('./pages/scenic.tsx').then((m) => m.ScenicPage))
const CheckoutPage = lazyPage(() => import('./pages/checkout.tsx').then((m) => m.CheckoutPage))
const MyTicketsPage = lazyPage(() => import('./pages/orders.tsx').then((m) => m.MyTicketsPage))
const OrderPage = lazyPage(() => import('./pages/orders.tsx').then((m) => m.OrderPage))
const MemberPage = lazyPage(() => import('./pages/member.tsx').then((m) => m.MemberPage))
const DistributorPage = lazyPage(() => import('./pages/distributor.tsx').then((m) => m.DistributorPage))
const ShowQueuePage = lazyPage(() => import('./pages/queue.tsx').then((m) => m.ShowQueuePage))
const ScenicQueuePage = lazyPage(() => import('./pages/queue.tsx').then((m) => m.ScenicQueuePage))

function NotFound() {
  const t = shopMessages.useT()
  return (
    <section>
      <h1>{t('notFound')}</h1>
      <Link href="/">{t('home')}</Link>
    </section>
  )
}

function App() {
  const t = shopMessages.useT()
  const { path } = useLocation()
  document.title = t('brand')
  return (
    <Shell
      brand={<Link href="/">{t('brand')}</Link>}
      nav={
        <>
          <Link href="/my-tickets">{t('myTickets')}</Link> <Link href="/distributor">{t('dist_nav')}</Link>
        </>
      }
    >
      <HoldBanner onCheckout={path === '/checkout'} />
      <Routes
        routes={[
          { pattern: '/', render: () => <HomePage /> },
          { pattern: '/shows/:id', render: ({ id }) => <ShowPage key={id} showId={id!} /> },
          { pattern: '/shows/:id/queue', render: ({ id }) => <ShowQueuePage key={id} showId={id!} /> },
          {
            pattern: '/shows/:id/group-buys',
            render: ({ id }) => <GroupBuyShowPage key={id} showId={id!} />,
          },
          { pattern: '/group-buys/:id', render: ({ id }) => <GroupBuyPage key={id} groupId={id!} /> },
          { pattern: '/scenic/:id', render: ({ id }) => <ScenicPage key={id} siteId={id!} /> },
          { pattern: '/scenic/:id/queue', render: ({ id }) => <ScenicQueuePage key={id} siteId={id!} /> },
          { pattern: '/checkout', render: () => <CheckoutPage /> },
          { pattern: '/my-tickets', render: () => <MyTicketsPage /> },
          { pattern: '/distributor', render: () => <DistributorPage /> },
          { pattern: '/member/:id', render: ({ id }) => <MemberPage key={id} organizerId={id!} /> },
          { pattern: '/orders/:id', render: ({ id }) => <OrderPage key={id} orderId={id!} /> },
        ]}
        fallback={<NotFound />}
      />
    </Shell>
  )
}

// The landing source first: the share-link capture takes `?ref=` off the address.
rememberLandingSource()
captureShareRef()
render(<App />, document.getElementById('app')!)
