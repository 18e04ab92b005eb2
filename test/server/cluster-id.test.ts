import {mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {expect} from 'chai'
import {loadOrCreateClusterId} from '../../src/server/cluster-id.js'
import {ClusterIdFileError} from '../../src/server/errors.js'

describe('cluster id', () => {
  let dir: string
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'weir-cluster-')) })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  it('is generated once per data dir and kept', async () => {
    const first = await loadOrCreateClusterId(dir)
    expect(first).to.match(/^[A-Za-z0-9_-]{22}$/)
    expect(await loadOrCreateClusterId(dir)).to.equal(first)
  })

  it('writes a whole file and leaves no temp file behind', async () => {
    const clusterId = await loadOrCreateClusterId(dir)
    expect(JSON.parse(await readFile(join(dir, 'cluster.json'), 'utf8'))).to.deep.equal({clusterId})
    expect(await readdir(dir)).to.deep.equal(['cluster.json'])
  })

  for (const [what, text, reason] of [
    ['an empty file (power loss before the data reached the disk)', '', /the file is empty/],
    ['a truncated file', '{"clusterId": "abc', /the file is not JSON/],
    ['a file without a valid id', '{"clusterId": 7}', /expected \{"clusterId"/],
    ['a file holding null', 'null', /expected \{"clusterId"/],
  ] as const) {
    it(`refuses ${what} with one line naming the file, rather than replacing the id`, async () => {
      const path = join(dir, 'cluster.json')
      await writeFile(path, text)
      const error = await loadOrCreateClusterId(dir).then(() => null, (e: unknown) => e)
      expect(error).to.be.instanceOf(ClusterIdFileError)
      const message = (error as ClusterIdFileError).message
      expect(message).to.contain(path).and.match(reason)
      expect(message).to.not.contain('\n')
      expect((error as ClusterIdFileError).code).to.equal('WEIR_ERR_CLUSTER_ID')
      expect(await readFile(path, 'utf8')).to.equal(text)
    })
  }
})
