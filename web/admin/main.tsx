// The admin console (served at /admin). Placeholder until its pages are built on web/lib.
import '../lib/base.css'
import { render } from 'preact'
import { defineMessages } from '../lib/i18n.ts'
import { Shell } from '../lib/ui.tsx'

const messages = defineMessages({
  en: { title: 'Admin console', soon: 'This console is being built.', shop: 'Go to the shop' },
  'zh-CN': { title: '管理后台', soon: '此页面正在建设中。', shop: '前往购票' },
})

function App() {
  const t = messages.useT()
  document.title = t('title')
  return (
    <Shell brand={<a href="/admin">{t('title')}</a>}>
      <h1>{t('title')}</h1>
      <p>{t('soon')}</p>
      <p>
        <a href="/">{t('shop')}</a>
      </p>
    </Shell>
  )
}

render(<App />, document.getElementById('app')!)
