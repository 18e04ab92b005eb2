import {expect} from 'chai'
import {existsSync, mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {BackgroundRemoval} from '../../src/storage/background-removal.js'
import {FaultInjectingFs} from '../../src/storage/fault-injecting-fs.js'
import {useTempDirs} from './temp-dirs.js'

/** An Fs that cannot remove one directory. */
class StubbornFs extends FaultInjectingFs {
  constructor(private readonly stubborn: string) {
    super()
  }

  override async removeTree(path: string): Promise<void> {
    if (path === this.stubborn) throw Object.assign(new Error('EBUSY: injected rm failure'), {code: 'EBUSY'})
    await super.removeTree(path)
  }
}

describe('BackgroundRemoval', () => {
  const tempDir = useTempDirs()

  it('removes directory trees, logs the ones it cannot, and tells when all have ended', async () => {
    const dataDir = tempDir()
    const [removable, stubborn] = ['a-0.00000000000000000000000000000000-delete', 'b-0.11111111111111111111111111111111-delete'].map((name) => {
      const dir = join(dataDir, name)
      mkdirSync(dir)
      writeFileSync(join(dir, '00000000000000000000.log'), 'batches')
      return dir
    }) as [string, string]
    const lines: string[] = []
    const removal = new BackgroundRemoval(new StubbornFs(stubborn), (line) => lines.push(line))
    removal.start(removable)
    removal.start(stubborn)
    await removal.finish()
    expect(existsSync(removable)).to.equal(false)
    expect(existsSync(stubborn)).to.equal(true)
    expect(lines).to.deep.equal([`${stubborn}: could not be removed (EBUSY: injected rm failure); the next open tries again`])
    await removal.finish()
  })
})
