// Stylesheets and images are bundled by esbuild (web/build.ts).
declare module '*.css'
declare module '*.svg' {
  const url: string
  export default url
}
/** Cloudflare Turnstile's site key for the waiting room's bot check, from the build's environment ('' when unset). */
declare const TURNSTILE_SITE_KEY: string
