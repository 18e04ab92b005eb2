import {expect} from 'chai'
import {mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {readCorruptions} from '../../src/layout/corruptions.js'
import {CorruptionPublisher} from '../../src/server/daemon-files.js'

describe('CorruptionPublisher', () => {
  let dataDir: string
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'weir-corruptions-'))
  })
  afterEach(() => rmSync(dataDir, {recursive: true, force: true}))

  it('publishes the list at start, again only when it changes, and once more at stop', async () => {
    const found: {topic: string; partition: number; offset: number; reason: string}[] = []
    const lines: string[] = []
    const publisher = new CorruptionPublisher(dataDir, () => found, (line) => lines.push(line))
    await publisher.start(60_000)
    expect((await readCorruptions(dataDir))?.corruptions).to.deep.equal([])
    const firstWrite = statSync(join(dataDir, 'corruptions.json')).mtimeMs
    await publisher.publish()
    expect(statSync(join(dataDir, 'corruptions.json')).mtimeMs, 'unchanged list, no write').to.equal(firstWrite)
    found.push({topic: 't', partition: 1, offset: 7, reason: 'bad-crc'})
    await publisher.publish()
    expect((await readCorruptions(dataDir))?.corruptions).to.deep.equal([{topic: 't', partition: 1, offset: 7, reason: 'bad-crc'}])
    expect(lines.join('\n')).to.match(/1 corrupt batch\(es\) found so far/)
    found.push({topic: 't', partition: 1, offset: 9, reason: 'bad-length'})
    await publisher.stop()
    expect((await readCorruptions(dataDir))?.corruptions.map((c) => c.offset)).to.deep.equal([7, 9])
  })

  it('replaces what an earlier daemon left, and reads a damaged file as no list', async () => {
    const publisher = new CorruptionPublisher(dataDir, () => [], () => undefined)
    await publisher.start(60_000)
    await publisher.stop()
    expect(JSON.parse(readFileSync(join(dataDir, 'corruptions.json'), 'utf8'))).to.include.keys('updatedAt', 'corruptions')
    rmSync(join(dataDir, 'corruptions.json'))
    expect(await readCorruptions(dataDir)).to.equal(null)
  })
})
