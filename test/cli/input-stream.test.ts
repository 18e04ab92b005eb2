import {spawnSync} from 'node:child_process'
import {closeSync, mkdtempSync, openSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {expect} from 'chai'

import {openInput} from '../../src/cli/input-stream.js'

const moduleUrl = new URL('../../src/cli/input-stream.js', import.meta.url).href

/** Runs openInput() in a child whose stdin is `stdin`; prints the stream's class and the bytes read. */
function readStdinInChild(stdin: number | 'pipe', input?: Buffer): string {
  const script = `const {openInput} = await import(${JSON.stringify(moduleUrl)})
const stream = await openInput(undefined)
let bytes = 0
for await (const chunk of stream) bytes += chunk.length
console.log(stream.constructor.name, bytes)`
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {stdio: [stdin, 'pipe', 'pipe'], input})
  expect(result.status, result.stderr.toString()).to.equal(0)
  return result.stdout.toString().trim()
}

describe('openInput', () => {
  let dir: string
  let file: string
  const content = Buffer.alloc(3 * 1024 * 1024 + 7, 'a')

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'weir-input-'))
    file = join(dir, 'lines.txt')
    writeFileSync(file, content)
  })

  after(() => rmSync(dir, {recursive: true, force: true}))

  it('reads a named file whole', async () => {
    let bytes = 0
    for await (const chunk of await openInput(file)) bytes += (chunk as Buffer).length
    expect(bytes).to.equal(content.length)
  })

  it('names a missing file or a directory given as --file in one clear error', async () => {
    for (const [path, reason] of [[join(dir, 'missing.txt'), 'no such file'], [dir, 'is a directory']]) {
      let error: unknown
      try {
        await openInput(path)
      } catch (caught) {
        error = caught
      }
      expect(error, path).to.include({code: 'WEIR_ERR_INPUT_FILE', message: `cannot read ${path}: ${reason}`})
    }
  })

  it('reads standard input redirected from a file as a file stream', () => {
    const fd = openSync(file, 'r')
    try {
      expect(readStdinInChild(fd)).to.equal(`ReadStream ${content.length}`)
    } finally {
      closeSync(fd)
    }
  })

  it('leaves a pipe to process.stdin', () => {
    expect(readStdinInChild('pipe', content)).to.equal(`Socket ${content.length}`)
  })
})
