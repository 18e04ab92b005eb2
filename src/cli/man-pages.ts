/**
 * Build step (`node dist/src/cli/man-pages.js`, after `oclif manifest`): renders the manual
 * pages from oclif.manifest.json into man/ with marked-man, and checks that package.json's
 * "man" field lists exactly those pages, so `npm install -g` installs all of them.
 */
import {spawnSync} from 'node:child_process'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {type ManPage, type ManifestCommand, commandPage, overviewPage} from './man-page-markdown.js'

interface PackageJson {
  version: string
  description: string
  man?: string[]
  oclif: {bin: string; topics?: Record<string, {description?: string}>}
}

/** The markdown of every page, from a package root holding package.json and oclif.manifest.json. */
export function manPagesFor(root: string): ManPage[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson
  const manifest = JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, ManifestCommand>}
  const commands = Object.values(manifest.commands).filter((command) => !command.hidden)
  const context = {bin: pkg.oclif.bin, summary: pkg.description}
  return [
    overviewPage(commands, context, pkg.oclif.topics ?? {}),
    ...commands.sort((a, b) => a.id.localeCompare(b.id)).map((command) => commandPage(command, context)),
  ]
}

/** Markdown to roff with marked-man's command-line interface (its documented entry point). */
export function renderRoff(markdown: string, version: string): string {
  const require = createRequire(import.meta.url)
  const bin = join(dirname(require.resolve('marked-man/package.json')), 'bin', 'marked-man.js')
  const result = spawnSync(process.execPath, [bin, '--version', version, '--manual', 'Weir Manual'], {input: markdown, encoding: 'utf8'})
  if (result.status !== 0) throw new Error(`marked-man failed: ${result.stderr || result.error?.message}`)
  return result.stdout
}

/** Writes man/<page>.1 for every page; returns the package-relative paths written. */
export function writeManPages(root: string): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson
  const dir = join(root, 'man')
  mkdirSync(dir, {recursive: true})
  return manPagesFor(root).map((page) => {
    writeFileSync(join(dir, `${page.name}.1`), renderRoff(page.markdown, pkg.version))
    return `./man/${page.name}.1`
  })
}

/** Pages written but not listed in package.json "man", and listed but not written. */
export function manFieldMismatch(listed: readonly string[], written: readonly string[]): {unlisted: string[]; missing: string[]} {
  const normal = (path: string): string => path.replace(/^\.\//, '')
  const listedSet = new Set(listed.map(normal))
  const writtenSet = new Set(written.map(normal))
  return {
    unlisted: written.filter((path) => !listedSet.has(normal(path))),
    missing: listed.filter((path) => !writtenSet.has(normal(path))),
  }
}

function main(): void {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
  const written = writeManPages(root)
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson
  const {unlisted, missing} = manFieldMismatch(pkg.man ?? [], written)
  if (unlisted.length > 0 || missing.length > 0) {
    process.stderr.write(`man-pages: package.json "man" must list exactly the generated pages:\n  ${JSON.stringify(written)}\n`)
    process.exitCode = 1
    return
  }
  process.stderr.write(`man-pages: wrote ${written.length} pages to man/\n`)
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main()
