import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {expect} from 'chai'
import {loadOrCreateClusterId} from '../../src/server/cluster-id.js'

describe('cluster id', () => {
  let dir: string
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'weir-cluster-')) })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  it('is generated once per data dir and kept', async () => {
    const first = await loadOrCreateClusterId(dir)
    expect(first).to.match(/^[A-Za-z0-9_-]{22}$/)
    expect(await loadOrCreateClusterId(dir)).to.equal(first)
  })

  it('refuses a damaged file rather than replacing the id', async () => {
    await writeFile(join(dir, 'cluster.json'), '{"clusterId": 7}')
    const error = await loadOrCreateClusterId(dir).then(() => null, (e: unknown) => e)
    expect(error).to.be.instanceOf(Error)
  })
})
