// A small history router: each app matches `location.pathname` against its own patterns.
import type { AnchorHTMLAttributes, ComponentChildren, TargetedMouseEvent } from 'preact'
import { useEffect, useState } from 'preact/hooks'

const listeners = new Set<() => void>()
const notify = () => {
  for (const listener of listeners) listener()
}
if (typeof window !== 'undefined') window.addEventListener('popstate', notify)

export function navigate(to: string, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', to)
  else history.pushState(null, '', to)
  window.scrollTo(0, 0)
  notify()
}

/** The current path and query; re-renders on every navigation. */
export function useLocation(): { path: string; query: URLSearchParams } {
  const [, setTick] = useState(0)
  useEffect(() => {
    const listener = () => setTick((tick) => tick + 1)
    listeners.add(listener)
    return () => {
      listeners.delete(listener)
    }
  }, [])
  return { path: location.pathname, query: new URLSearchParams(location.search) }
}

/** `/shows/:id` against `/shows/shw_1` gives `{ id: 'shw_1' }`; null when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean)
  const got = path.split('/').filter(Boolean)
  if (want.length !== got.length) return null
  const params: Record<string, string> = {}
  for (const [index, part] of want.entries()) {
    const actual = got[index]!
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(actual)
    else if (part !== actual) return null
  }
  return params
}

export interface Route {
  pattern: string
  render: (params: Record<string, string>) => ComponentChildren
}

/** Renders the first route matching the path, else `fallback`. */
export function Routes({ routes, fallback }: { routes: Route[]; fallback: ComponentChildren }) {
  const { path } = useLocation()
  for (const route of routes) {
    const params = matchPath(route.pattern, path)
    if (params) return <>{route.render(params)}</>
  }
  return <>{fallback}</>
}

/** An <a> that navigates without reloading (modifier-clicks still open a new tab). */
export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const follow = (event: TargetedMouseEvent<HTMLAnchorElement>) => {
    if (typeof onClick === 'function') onClick(event)
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey)
      return
    event.preventDefault()
    navigate(href)
  }
  return <a href={href} {...rest} onClick={follow} />
}
