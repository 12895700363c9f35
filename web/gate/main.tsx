// The gate scanner (served at /gate). Placeholder until its pages are built on web/lib.
import '../lib/base.css'
import { render } from 'preact'
import { defineMessages } from '../lib/i18n.ts'
import { Shell } from '../lib/ui.tsx'

const messages = defineMessages({
  en: { title: 'Gate scanner', soon: 'This console is being built.', shop: 'Go to the shop' },
  'zh-CN': { title: '检票', soon: '此页面正在建设中。', shop: '前往购票' },
})

function App() {
  const t = messages.useT()
  document.title = t('title')
  return (
    <Shell brand={<a href="/gate">{t('title')}</a>}>
      <h1>{t('title')}</h1>
      <p>{t('soon')}</p>
      <p>
        <a href="/">{t('shop')}</a>
      </p>
    </Shell>
  )
}

render(<App />, document.getElementById('app')!)
