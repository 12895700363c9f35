// The layer rules as Biome enforces them in `npm run check` (biome.json `overrides`, noRestrictedImports): each case
// lints a one-line module placed where it would live, in a scratch copy of the configuration, and expects the rule
// to refuse or allow it. worker/dev/import-rules.ts checks the same rules (plus cycles and web's type-only imports).
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = new URL('../..', import.meta.url).pathname
const biome = join(root, 'node_modules/.bin/biome')
let scratch = ''

const cases: { file: string; source: string; refused: RegExp | null }[] = [
  {
    file: 'durable-objects/show-inventory/bad.ts',
    source:
      "import { createOrder } from '../../worker/services/orders/index.ts'\nexport const x = createOrder\n",
    refused: /never worker services/,
  },
  {
    file: 'durable-objects/group-buy/bad.ts',
    source: "import { app } from '../../worker/routes/group-buys.ts'\nexport const x = app\n",
    refused: /never worker services, routes/,
  },
  {
    file: 'durable-objects/show-inventory/good.ts',
    source:
      "import { readOutcomeLine } from '../../worker/domain/hold-lines.ts'\nexport const x = readOutcomeLine\n",
    refused: null,
  },
  {
    file: 'worker/domain/bad-binding.ts',
    source: "import { env } from 'cloudflare:workers'\nexport const x = env\n",
    refused: /worker\/domain is pure: no runtime bindings/,
  },
  {
    file: 'worker/domain/bad-service.ts',
    source: "import { x } from '../services/orders/index.ts'\nexport const y = x\n",
    refused: /imports only worker\/domain/,
  },
  {
    file: 'worker/domain/good.ts',
    source: "import { newId } from '../ids.ts'\nimport * as v from 'valibot'\nexport const y = [newId, v]\n",
    refused: null,
  },
  {
    file: 'worker/services/orders/bad.ts',
    source: "import { x } from '../../routes/orders.ts'\nexport const y = x\n",
    refused: /Services never import routes/,
  },
  {
    file: 'worker/dev/bad.ts',
    source: "import { build } from '../../web/build.ts'\nexport const y = build\n",
    refused: /never imports the web apps/,
  },
]

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'layer-lint-'))
  const config = JSON.parse(readFileSync(join(root, 'biome.json'), 'utf8'))
  delete config.$schema
  delete config.vcs // the scratch folder is not a git checkout
  writeFileSync(join(scratch, 'biome.json'), JSON.stringify(config))
  for (const { file, source } of cases) {
    mkdirSync(join(scratch, dirname(file)), { recursive: true })
    writeFileSync(join(scratch, file), source)
  }
})

afterAll(() => rmSync(scratch, { recursive: true, force: true }))

function lint(file: string): string {
  try {
    execFileSync(biome, ['lint', '--max-diagnostics=50', file], {
      cwd: scratch,
      encoding: 'utf8',
      stdio: 'pipe',
    })
    return ''
  } catch (error) {
    const { stdout, stderr } = error as { stdout: string; stderr: string }
    return `${stdout}${stderr}`
  }
}

describe('layer rules in biome.json', () => {
  for (const { file, refused } of cases) {
    it(`${refused ? 'refuses' : 'allows'} ${file}`, () => {
      const output = lint(file)
      if (refused) {
        expect(output).toContain('lint/style/noRestrictedImports')
        expect(output).toMatch(refused)
      } else {
        expect(output).not.toContain('noRestrictedImports')
      }
    })
  }
})
