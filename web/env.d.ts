// Stylesheets and images are bundled by esbuild (web/build.ts).
declare module '*.css'
declare module '*.svg' {
  const url: string
  export default url
}
