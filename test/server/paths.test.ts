import {mkdtemp, mkdir, readFile, rm, stat, chmod} from 'node:fs/promises'
import {homedir, tmpdir} from 'node:os'
import {join} from 'node:path'
import {expect} from 'chai'
import {UnsafeDirectoryError} from '../../src/server/errors.js'
import {ensureDataDir, fitsSocketPath, prepareSocketPath, releaseSocketPath, resolveDataDir, socketPathFor} from '../../src/server/paths.js'

describe('server paths', () => {
  let root: string
  const savedEnv = {WEIR_HOME: process.env.WEIR_HOME, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR}
  beforeEach(async () => { root = await mkdtemp(join(tmpdir(), 'weir-paths-')) })
  afterEach(async () => {
    for (const [key, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
    await rm(root, {recursive: true, force: true})
  })

  it('resolves the data dir: flag, then WEIR_HOME, then ~/.weir', () => {
    process.env.WEIR_HOME = join(root, 'env')
    expect(resolveDataDir(join(root, 'flag'))).to.equal(join(root, 'flag'))
    expect(resolveDataDir()).to.equal(join(root, 'env'))
    delete process.env.WEIR_HOME
    expect(resolveDataDir()).to.equal(join(homedir(), '.weir'))
  })

  it('creates the data dir with mode 0700 and reports an existing open one', async () => {
    expect(ensureDataDir(join(root, 'a', 'b'))).to.deep.equal({tooOpen: false})
    expect((await stat(join(root, 'a', 'b'))).mode & 0o777).to.equal(0o700)
    await mkdir(join(root, 'open'), {mode: 0o755})
    await chmod(join(root, 'open'), 0o755)
    expect(ensureDataDir(join(root, 'open'))).to.deep.equal({tooOpen: true})
  })

  it('puts the socket in the data dir when the path is short enough', () => {
    expect(socketPathFor(root)).to.equal(join(root, 'weir.sock'))
  })

  describe('with a data dir too deep for a socket path', () => {
    let deep: string
    beforeEach(async () => {
      deep = join(root, 'd'.repeat(60), 'e'.repeat(60))
      await mkdir(deep, {recursive: true})
      process.env.XDG_RUNTIME_DIR = join(root, 'run')
      await mkdir(process.env.XDG_RUNTIME_DIR, {mode: 0o700})
    })

    it('binds a short path in a private runtime dir and records it for clients', async () => {
      const socket = prepareSocketPath(deep)
      expect(fitsSocketPath(socket)).to.equal(true)
      expect(socket.startsWith(join(root, 'run', 'weir-'))).to.equal(true)
      expect((await stat(join(socket, '..'))).mode & 0o777).to.equal(0o700)
      expect((await readFile(join(deep, 'socket-path'), 'utf8')).trim()).to.equal(socket)
      delete process.env.XDG_RUNTIME_DIR
      expect(socketPathFor(deep)).to.equal(socket)
    })

    it('removes the runtime dir and the record when released, leaving a data-dir socket alone', async () => {
      const socket = prepareSocketPath(deep)
      await releaseSocketPath(deep, socket)
      const exists = (path: string) => stat(path).then(() => true, () => false)
      expect(await exists(join(socket, '..'))).to.equal(false)
      expect(await exists(join(deep, 'socket-path'))).to.equal(false)
      await releaseSocketPath(root, join(root, 'weir.sock'))
      expect(await exists(root)).to.equal(true)
    })

    it('refuses a runtime dir that others can enter', async () => {
      const socket = prepareSocketPath(deep)
      await chmod(join(socket, '..'), 0o755)
      expect(() => prepareSocketPath(deep)).to.throw(UnsafeDirectoryError)
    })
  })
})
