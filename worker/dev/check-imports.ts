// `npm run check:imports`: reads every import of worker/, durable-objects/ and web/ (TypeScript's own parser,
// so `import type` is told apart exactly) and fails, one line per problem, on an import cycle or an import
// that points the wrong way between layers (worker/dev/import-rules.ts).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { type ImportEdge, importProblems } from './import-rules.ts'

const root = join(import.meta.dirname, '..', '..')
export const scannedDirs = ['worker', 'durable-objects', 'web']
const skipped = new Set(['node_modules', 'dist'])

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(join(root, dir))) {
    if (skipped.has(name)) continue
    const path = `${dir}/${name}`
    if (statSync(join(root, path)).isDirectory()) yield* sources(path)
    else if (/\.tsx?$/.test(name)) yield path
  }
}

/** The repository file a relative specifier names (`./x.ts`, `./x`, `./dir`), or null. */
function resolveRelative(from: string, specifier: string): string | null {
  const base = resolve(root, dirname(from), specifier.replace(/\?.*$/, ''))
  const candidates = [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]
  if (base.endsWith('.js')) candidates.push(base.replace(/\.js$/, '.ts'))
  const found = candidates.find((path) => existsSync(path) && statSync(path).isFile())
  return found ? relative(root, found).split('\\').join('/') : null
}

/** The imports of one file: static imports and re-exports, `import()` calls and `import('…')` types. */
export function importsOf(
  file: string,
  text: string,
): { specifier: string; typeOnly: boolean; line: number }[] {
  const source = ts.createSourceFile(
    file,
    text,
    ts.ScriptTarget.Latest,
    false,
    file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  )
  const found: { specifier: string; typeOnly: boolean; line: number }[] = []
  const add = (literal: ts.Node, typeOnly: boolean) => {
    if (!ts.isStringLiteralLike(literal)) return
    const line = source.getLineAndCharacterOfPosition(literal.getStart(source)).line + 1
    found.push({ specifier: literal.text, typeOnly, line })
  }
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) {
      // `import { type A }` still loads the module (verbatimModuleSyntax keeps `import {} from`): not type-only.
      add(node.moduleSpecifier, node.importClause?.isTypeOnly === true)
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      add(node.moduleSpecifier, node.isTypeOnly)
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      if (node.arguments[0]) add(node.arguments[0], false)
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal, true)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

export function readImportGraph(): { files: string[]; edges: ImportEdge[]; unresolved: string[] } {
  const files = scannedDirs.flatMap((dir) => [...sources(dir)])
  const edges: ImportEdge[] = []
  const unresolved: string[] = []
  for (const file of files) {
    for (const { specifier, typeOnly, line } of importsOf(file, readFileSync(join(root, file), 'utf8'))) {
      if (!specifier.startsWith('.')) {
        edges.push({ from: file, to: specifier, typeOnly, line, external: true })
        continue
      }
      const to = resolveRelative(file, specifier)
      if (to) edges.push({ from: file, to, typeOnly, line })
      else unresolved.push(`${file}:${line}: imports ${specifier}, which is not a file`)
    }
  }
  return { files, edges, unresolved }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { files, edges, unresolved } = readImportGraph()
  const problems = [...unresolved, ...importProblems(edges)]
  if (problems.length) {
    console.error(problems.join('\n'))
    process.exit(1)
  }
  const internal = edges.filter((edge) => !edge.external).length
  console.log(
    `imports: ${files.length} files, ${internal} imports between them; no cycle, no layer violation`,
  )
}
