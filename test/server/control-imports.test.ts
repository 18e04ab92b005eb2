import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {dirname, join, relative, resolve} from 'node:path'
import {expect} from 'chai'

/** The build root (dist/ or a private build dir): this file is <root>/test/server/control-imports.test.js. */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/**
 * Every compiled module `entry` loads before its body runs: the closure of its static relative
 * imports and re-exports. Dynamic import() is not followed: it is how heavy modules are deferred.
 */
function staticImports(entry: string): Set<string> {
  const seen = new Set<string>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    const source = readFileSync(file, 'utf8')
    for (const match of source.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s+'(\.{1,2}\/[^']+)'|^import\s+'(\.{1,2}\/[^']+)'/gm)) {
      visit(join(dirname(file), match[1] ?? match[2]))
    }
  }
  visit(join(ROOT, entry))
  return new Set([...seen].map(file => relative(ROOT, file)))
}

describe('control module loading', () => {
  it('reads a status, stops and spawns a daemon without loading the daemon, broker, storage or protocol', () => {
    for (const entry of ['src/server/control.js', 'commands/server/status.js', 'commands/server/stop.js', 'commands/server/start.js']) {
      const loaded = [...staticImports(entry)]
      expect(loaded, entry).to.include('src/server/spawn-daemon.js')
      expect(loaded.filter(file => file === 'src/server/daemon.js' || /^src\/(broker|storage)\//.test(file)), entry).to.deep.equal([])
    }
    expect([...staticImports('src/server/control.js')].filter(file => file.startsWith('src/protocol/'))).to.deep.equal([])
  })

  it('follows static imports: the daemon entry point loads all of it', () => {
    const loaded = [...staticImports('src/server/main.js')]
    for (const file of ['src/server/daemon.js', 'src/broker/broker.js', 'src/storage/index.js', 'src/protocol/index.js']) expect(loaded).to.include(file)
  })
})
