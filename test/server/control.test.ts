import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {createServer, type Server} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {expect} from 'chai'
import {AlreadyRunningError, readStatus, StartFailedError, startDetached, stopDaemon, type DaemonOptions} from '../../src/server/control.js'
import {isProcessAlive} from '../../src/server/process-alive.js'

describe('daemon control', function () {
  this.timeout(60_000)
  let dataDir: string
  let opts: DaemonOptions
  const started: number[] = []
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'weir-control-'))
    opts = {dataDir, tcp: {host: '127.0.0.1', port: 0}, autoCreateTopics: true, defaultPartitions: 1}
  })
  afterEach(async () => {
    for (const pid of started.splice(0)) if (isProcessAlive(pid)) process.kill(pid, 'SIGKILL')
    await rm(dataDir, {recursive: true, force: true})
  })

  it('starts a detached daemon, reports it, refuses a second start, and stops it', async () => {
    const info = await startDetached(opts)
    started.push(info.pid)
    expect(info.tcp).to.match(/^127\.0\.0\.1:\d+$/)
    expect(info.tcp).to.not.equal('127.0.0.1:0')
    expect(await readStatus(dataDir)).to.deep.equal(info)
    const again = await startDetached(opts).then(() => null, (e: unknown) => e)
    expect(again).to.be.instanceOf(AlreadyRunningError)
    expect((again as AlreadyRunningError).code).to.equal('WEIR_ERR_ALREADY_RUNNING')
    expect((again as Error).message).to.contain(`pid ${info.pid}`)
    expect(await stopDaemon(dataDir)).to.deep.equal({pid: info.pid})
    expect(isProcessAlive(info.pid)).to.equal(false)
    expect(await readStatus(dataDir)).to.equal(null)
    expect(await stopDaemon(dataDir)).to.equal(null)
  })

  it('reads files left by a dead daemon as not running', async () => {
    const info = await startDetached(opts)
    started.push(info.pid)
    process.kill(info.pid, 'SIGKILL')
    while (isProcessAlive(info.pid)) await new Promise(resolve => setTimeout(resolve, 10))
    expect(await readStatus(dataDir)).to.equal(null)
    const restarted = await startDetached(opts)
    started.push(restarted.pid)
    expect(await stopDaemon(dataDir)).to.deep.equal({pid: restarted.pid})
  })

  it('reports why a daemon could not start, from its log', async () => {
    const blocker: Server = createServer()
    await new Promise<void>(resolve => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as {port: number}).port
    try {
      const error = await startDetached({...opts, tcp: {host: '127.0.0.1', port}}).then(() => null, (e: unknown) => e)
      expect(error).to.be.instanceOf(StartFailedError)
      expect((error as StartFailedError).code).to.equal('WEIR_ERR_START_FAILED')
      expect((error as Error).message).to.contain(`cannot listen on 127.0.0.1:${port}: EADDRINUSE`)
    } finally {
      blocker.close()
    }
  })

  it('reports a daemon whose pid file is malformed as not running', async () => {
    await writeFile(join(dataDir, 'server.json'), '{"pid": "x"}')
    expect(await readStatus(dataDir)).to.equal(null)
  })
})
