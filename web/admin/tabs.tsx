// Sections of a long settings page as tabs (WAI-ARIA tabs: arrow keys move between them, the panel follows).
// The chosen tab is in the address (?tab=…), so a reload or a shared link opens the same section.
import type { ComponentChildren } from 'preact'
import { navigate, useLocation } from '../lib/router.tsx'

export interface TabDef<K extends string> {
  key: K
  label: string
}

export function useTab<K extends string>(tabs: readonly TabDef<K>[]): K {
  const asked = useLocation().query.get('tab')
  return (tabs.find((tab) => tab.key === asked) ?? tabs[0]!).key
}

export function Tabs<K extends string>(props: {
  label: string
  tabs: readonly TabDef<K>[]
  current: K
  children: ComponentChildren
}) {
  const { tabs, current } = props
  const select = (key: K, focus = false) => {
    const url = new URL(location.href)
    url.searchParams.set('tab', key)
    navigate(`${url.pathname}${url.search}`)
    if (focus) requestAnimationFrame(() => document.getElementById(`tab-${key}`)?.focus())
  }
  const onKeyDown = (event: KeyboardEvent) => {
    const index = tabs.findIndex((tab) => tab.key === current)
    const move = { ArrowRight: 1, ArrowLeft: -1, Home: -index, End: tabs.length - 1 - index }[event.key]
    if (move === undefined) return
    event.preventDefault()
    select(tabs[(index + move + tabs.length) % tabs.length]!.key, true)
  }
  return (
    <>
      <div class="tabs" role="tablist" aria-label={props.label} onKeyDown={onKeyDown}>
        {tabs.map((tab) => (
          <button
            key={tab.key}
            type="button"
            role="tab"
            id={`tab-${tab.key}`}
            class="tab"
            aria-selected={tab.key === current}
            aria-controls={`panel-${tab.key}`}
            tabIndex={tab.key === current ? 0 : -1}
            onClick={() => select(tab.key)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div class="stack" role="tabpanel" id={`panel-${current}`} aria-labelledby={`tab-${current}`}>
        {props.children}
      </div>
    </>
  )
}
