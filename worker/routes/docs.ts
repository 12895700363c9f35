import { html } from 'hono/html'
import type { OpenAPIV3_1 } from 'openapi-types'

const methods = ['get', 'post', 'put', 'patch', 'delete'] as const

/**
 * A self-contained API reference rendered from the OpenAPI document on the server,
 * so `/docs` works offline and with no third-party script.
 */
export function renderReference(spec: OpenAPIV3_1.Document) {
  const byTag = new Map<string, { method: string; path: string; op: OpenAPIV3_1.OperationObject }[]>()
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const method of methods) {
      const op = item?.[method]
      if (!op) continue
      const tag = op.tags?.[0] ?? 'Other'
      const list = byTag.get(tag) ?? []
      list.push({ method, path, op })
      byTag.set(tag, list)
    }
  }
  const tags = [...byTag.keys()].sort()
  const guideOf = new Map((spec.tags ?? []).map((tag) => [tag.name, tag.description ?? '']))
  const schemaOf = (content: unknown) => {
    const media = (content as Record<string, { schema?: unknown }> | undefined) ?? {}
    return Object.entries(media).map(
      ([type, m]) =>
        html`<details><summary>${type}</summary><pre>${JSON.stringify(m.schema ?? {}, null, 2)}</pre></details>`,
    )
  }
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>${spec.info.title} — API reference</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0; display: grid; grid-template-columns: 260px 1fr; color: #1b1f24; }
  nav { position: sticky; top: 0; height: 100vh; overflow: auto; background: #f4f5f7; padding: 1rem; box-sizing: border-box; }
  nav a { display: block; color: #1b1f24; text-decoration: none; padding: .15rem 0; }
  main { padding: 1rem 2rem; max-width: 70rem; }
  section.op { border: 1px solid #d8dce1; border-radius: 6px; margin: .75rem 0; padding: .5rem 1rem; }
  .m { display: inline-block; min-width: 4.5rem; font-weight: 700; text-transform: uppercase; }
  .get { color: #0b6e4f } .post { color: #1f5fbf } .put { color: #8a5a00 } .patch { color: #6b3fa0 } .delete { color: #b42318 }
  code, pre { font-family: ui-monospace, monospace; font-size: 13px; }
  pre { background: #f6f8fa; padding: .5rem; overflow: auto; max-height: 24rem; }
  .prose { white-space: pre-line; }
  @media (max-width: 700px) { body { grid-template-columns: 1fr; } nav { position: static; height: auto; } }
</style>
</head>
<body>
<nav aria-label="Tags">
  <strong>${spec.info.title}</strong> <small>${spec.info.version}</small>
  <p><a href="/openapi.json">openapi.json</a></p>
  ${tags.map((tag) => html`<a href="#${encodeURIComponent(tag)}">${tag}</a>`)}
</nav>
<main>
  <h1>${spec.info.title}</h1>
  <p class="prose">${spec.info.description ?? ''}</p>
  ${tags.map(
    (tag) => html`<h2 id="${encodeURIComponent(tag)}">${tag}</h2>
      ${guideOf.get(tag) ? html`<p class="prose">${guideOf.get(tag)}</p>` : ''}
      ${byTag.get(tag)!.map(
        ({ method, path, op }) => html`<section class="op">
          <h3><span class="m ${method}">${method}</span> <code>${path}</code></h3>
          <p>${op.summary ?? ''}</p>
          ${op.description ? html`<p class="prose">${op.description}</p>` : ''}
          ${
            op.parameters?.length
              ? html`<h4>Parameters</h4><ul>${(op.parameters as OpenAPIV3_1.ParameterObject[]).map(
                  (p) => html`<li><code>${p.name}</code> (${p.in}${p.required ? ', required' : ''})</li>`,
                )}</ul>`
              : ''
          }
          ${
            op.requestBody
              ? html`<h4>Request body</h4>${schemaOf((op.requestBody as OpenAPIV3_1.RequestBodyObject).content)}`
              : ''
          }
          <h4>Responses</h4>
          <ul>${Object.entries(op.responses ?? {}).map(
            ([
              status,
              r,
            ]) => html`<li><strong>${status}</strong> ${(r as OpenAPIV3_1.ResponseObject).description ?? ''}
              ${schemaOf((r as OpenAPIV3_1.ResponseObject).content)}</li>`,
          )}</ul>
        </section>`,
      )}`,
  )}
</main>
</body>
</html>`
}
