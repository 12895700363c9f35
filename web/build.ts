// Builds the Preact apps (shop at /, admin at /admin, gate at /gate, kiosk at /kiosk) with esbuild into web/dist/.
// One index.html boots the app that owns the path, so Workers' single-page-application fallback can serve it
// for every route while each app's code is fetched only where it is used.
// Usage: node web/build.ts [--watch] [--quiet]

import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import * as esbuild from 'esbuild'
import { commonSecurityHeaders, cspText, pageCsp } from '../worker/domain/security-headers.ts'

const webDir = dirname(fileURLToPath(import.meta.url))
const dist = join(webDir, 'dist')

/** Every app: its entry module and the path prefix it owns (the shop owns everything else). */
export const apps = {
  admin: { entry: 'admin/main.tsx', prefix: '/admin' },
  box: { entry: 'box/main.tsx', prefix: '/box' },
  gate: {
    entry: 'gate/main.tsx',
    prefix: '/gate',
    // Installable offline app: a service worker that keeps the app's files, built to dist/gate-sw.js.
    serviceWorker: {
      source: 'gate/service-worker.ts',
      output: 'gate-sw.js',
      keep: ['/gate.webmanifest', '/favicon.svg'],
    },
  },
  // The self-service kiosk (web/kiosk/main.tsx): enrolled like a gate, touch only.
  kiosk: { entry: 'kiosk/main.tsx', prefix: '/kiosk' },
  shop: {
    entry: 'shop/main.tsx',
    prefix: '/',
    // The wallet opens offline: a service worker keeping the shop's page and files, built to dist/sw.js.
    serviceWorker: { source: 'shop/service-worker.ts', output: 'sw.js', keep: ['/favicon.svg'] },
  },
} as const
export type AppName = keyof typeof apps

type Outputs = esbuild.Metafile['outputs']

/** Every file an app may ever load: its first load plus every chunk behind import(), and their CSS. */
export function allLoads(outputs: Outputs, entryOutput: string): string[] {
  const files = new Set<string>()
  const visit = (path: string) => {
    if (files.has(path)) return
    files.add(path)
    const output = outputs[path]
    if (!output) return
    if (output.cssBundle) files.add(output.cssBundle)
    for (const imported of output.imports) if (!imported.external) visit(imported.path)
  }
  visit(entryOutput)
  return [...files]
}

/**
 * Builds an app's service worker with the list of files to keep (the app's page, all its assets and the
 * extra files it names) and a version derived from that list, so a new build replaces the old cache.
 */
function writeServiceWorker(
  prefix: string,
  worker: { source: string; output: string; keep: readonly string[] },
  assets: string[],
) {
  const precache = [prefix, ...worker.keep, ...assets]
  const version = createHash('sha256').update(precache.join('\n')).digest('hex').slice(0, 12)
  esbuild.buildSync({
    absWorkingDir: webDir,
    entryPoints: [worker.source],
    outfile: join(dist, worker.output),
    bundle: true,
    format: 'iife',
    target: ['es2022'],
    minify: true,
    define: { PRECACHE: JSON.stringify(precache), CACHE_VERSION: JSON.stringify(version) },
    logLevel: 'warning',
  })
}

/** The JS and CSS a browser fetches before the app can render: the entry and its static imports, not lazy chunks. */
export function firstLoad(outputs: Outputs, entryOutput: string): { js: string[]; css: string[] } {
  const js = new Set<string>()
  const css = new Set<string>()
  const visit = (path: string) => {
    if (js.has(path)) return
    js.add(path)
    const output = outputs[path]
    if (!output) return
    if (output.cssBundle) css.add(output.cssBundle)
    for (const imported of output.imports) if (imported.kind === 'import-statement') visit(imported.path)
  }
  visit(entryOutput)
  return { js: [...js], css: [...css] }
}

// Metafile paths are relative to absWorkingDir (web/).
const gzippedSize = (files: string[]) =>
  files.reduce((sum, file) => sum + gzipSync(readFileSync(join(webDir, file)), { level: 9 }).length, 0)

/** The boot script is tiny and inline: pick the app by path, load its CSS and entry. */
function bootScript(boot: Record<string, { js: string; css: string[] }>): string {
  const prefixes = Object.fromEntries(Object.entries(apps).map(([name, app]) => [name, app.prefix]))
  return `const b=${JSON.stringify(boot)},p=${JSON.stringify(prefixes)},l=location.pathname;
const a=Object.keys(p).find(k=>p[k]!=='/'&&(l===p[k]||l.startsWith(p[k]+'/')))||'shop';
for(const h of b[a].css){const e=document.createElement('link');e.rel='stylesheet';e.href=h;document.head.append(e)}
import(b[a].js)`
}

/**
 * web/public/_headers (caching) plus the security headers for every page and asset, whose policy allows the
 * inline boot script by its hash. Workers static assets apply the file; the worker's own answers get the same
 * headers from worker/domain/security-headers.ts.
 */
export function headersFile(script: string): string {
  const hash = createHash('sha256').update(script).digest('base64')
  const headers = { 'Content-Security-Policy': cspText(pageCsp(hash)), ...commonSecurityHeaders }
  const security = Object.entries(headers)
    .map(([name, value]) => `  ${name}: ${value}`)
    .join('\n')
  return `${readFileSync(join(webDir, 'public', '_headers'), 'utf8').trimEnd()}\n\n# Security headers (web/build.ts)\n/*\n${security}\n`
}

function indexHtml(script: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
<meta name="theme-color" content="#b3261e" />
<title>Edge Ticketing 票务</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml" />
<script type="module">${script}</script>
</head>
<body>
<div id="app"><noscript>This site needs JavaScript. 本网站需要启用 JavaScript。</noscript></div>
</body>
</html>
`
}

export interface BuildReport {
  /** Gzipped bytes of the JS (and CSS) each app needs before its first render. */
  firstLoad: Record<AppName, { jsGzip: number; cssGzip: number; files: string[] }>
}

function writeSite(metafile: esbuild.Metafile, quiet: boolean): BuildReport {
  const boot: Record<string, { js: string; css: string[] }> = {}
  const report = { firstLoad: {} } as BuildReport
  const workers: (() => void)[] = []
  for (const [name, app] of Object.entries(apps) as [AppName, (typeof apps)[AppName]][]) {
    const entryOutput = Object.entries(metafile.outputs).find(([, output]) =>
      output.entryPoint?.endsWith(app.entry),
    )?.[0]
    if (!entryOutput) throw new Error(`no output for ${app.entry}`)
    const { js, css } = firstLoad(metafile.outputs, entryOutput)
    const url = (file: string) => `/${relative(dist, join(webDir, file)).split('\\').join('/')}`
    boot[name] = { js: url(entryOutput), css: css.map(url) }
    report.firstLoad[name] = { jsGzip: gzippedSize(js), cssGzip: gzippedSize(css), files: [...js, ...css] }
    if ('serviceWorker' in app)
      workers.push(() =>
        writeServiceWorker(app.prefix, app.serviceWorker, allLoads(metafile.outputs, entryOutput).map(url)),
      )
  }
  cpSync(join(webDir, 'public'), dist, { recursive: true })
  for (const write of workers) write()
  const script = bootScript(boot)
  writeFileSync(join(dist, 'index.html'), indexHtml(script))
  writeFileSync(join(dist, '_headers'), headersFile(script))
  if (!quiet) {
    for (const [name, size] of Object.entries(report.firstLoad)) {
      console.log(
        `[web] ${name.padEnd(5)} first load: ${(size.jsGzip / 1024).toFixed(1)} kB JS + ${(size.cssGzip / 1024).toFixed(1)} kB CSS gzipped`,
      )
    }
  }
  return report
}

function options(): esbuild.BuildOptions & { metafile: true } {
  return {
    absWorkingDir: webDir,
    entryPoints: Object.values(apps).map((app) => app.entry),
    outdir: join(dist, 'assets'),
    outbase: webDir,
    entryNames: '[dir]-[hash]',
    chunkNames: 'chunk-[hash]',
    assetNames: '[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    target: ['es2022', 'chrome100', 'safari15', 'firefox100'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    sourcemap: 'linked',
    metafile: true,
    legalComments: 'none',
    loader: { '.svg': 'file', '.png': 'file' },
    // The waiting room's Turnstile site key (public by design): set at build, the real widget renders.
    define: { TURNSTILE_SITE_KEY: JSON.stringify(process.env.TURNSTILE_SITE_KEY ?? '') },
    logLevel: 'warning',
  }
}

/** One production build; returns the first-load sizes. */
export async function buildWeb({ quiet = false } = {}): Promise<BuildReport> {
  rmSync(dist, { recursive: true, force: true })
  mkdirSync(dist, { recursive: true })
  const result = await esbuild.build(options())
  return writeSite(result.metafile, quiet)
}

/** Rebuilds on every change under web/ until the process ends (`npm run dev` runs `web/build.ts --watch`). */
export async function watchWeb(): Promise<esbuild.BuildContext> {
  await buildWeb({ quiet: true })
  const context = await esbuild.context({
    ...options(),
    plugins: [
      {
        name: 'write-site',
        setup(build) {
          build.onEnd((result) => {
            if (result.metafile && !result.errors.length) {
              writeSite(result.metafile, true)
              console.log('[web] rebuilt')
            }
          })
        },
      },
    ],
  })
  await context.watch()
  return context
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const quiet = process.argv.includes('--quiet')
  if (process.argv.includes('--watch')) {
    await watchWeb()
    // worker/dev/dev.ts waits for '[web] built;' before it starts wrangler dev.
    console.log('[web] built; rebuilding on every change under web/')
  } else {
    const report = await buildWeb({ quiet })
    if (!existsSync(join(dist, 'index.html'))) process.exit(1)
    if (report.firstLoad.shop.jsGzip > 60 * 1024) {
      console.error('[web] the shop first load is over its 60 kB gzipped budget')
      process.exit(1)
    }
  }
}
