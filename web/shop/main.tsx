// The shop (served at /): shows, scenic sites, checkout and "My tickets".
import '../lib/base.css'
import './shop.css'
import { render } from 'preact'
import { Link, Routes } from '../lib/router.tsx'
import { Shell } from '../lib/ui.tsx'
import { shopMessages } from './messages.ts'
import { HomePage } from './pages/home.tsx'

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
  return (
    <Shell brand={<Link href="/">{t('brand')}</Link>} nav={<Link href="/my-tickets">{t('myTickets')}</Link>}>
      <Routes routes={[{ pattern: '/', render: () => <HomePage /> }]} fallback={<NotFound />} />
    </Shell>
  )
}

render(<App />, document.getElementById('app')!)
