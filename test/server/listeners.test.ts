import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {createServer, type Server} from 'node:net'
import {hostname, tmpdir} from 'node:os'
import {join} from 'node:path'
import {expect} from 'chai'
import {ListenError} from '../../src/server/errors.js'
import {Listeners, advertisedAddress, formatTcpAddress} from '../../src/server/listeners.js'

describe('listener addresses', () => {
  it('advertises the bound address, or the host name for a wildcard bind', () => {
    expect(advertisedAddress({host: '127.0.0.1', port: 9092})).to.deep.equal({host: '127.0.0.1', port: 9092})
    expect(advertisedAddress({host: '0.0.0.0', port: 9092})).to.deep.equal({host: hostname(), port: 9092})
    expect(advertisedAddress({host: '::', port: 1})).to.deep.equal({host: hostname(), port: 1})
  })

  it('writes IPv6 hosts in brackets', () => {
    expect(formatTcpAddress({host: '::1', port: 9092})).to.equal('[::1]:9092')
    expect(formatTcpAddress({host: '127.0.0.1', port: 9092})).to.equal('127.0.0.1:9092')
  })
})

describe('listeners that cannot bind', () => {
  let dir: string
  let occupier: Server | undefined
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'weir-listen-')) })
  afterEach(async () => {
    if (occupier !== undefined) await new Promise(resolve => occupier!.close(resolve))
    occupier = undefined
    await rm(dir, {recursive: true, force: true})
  })

  const openError = (socketPath: string, tcp: {host: string; port: number} | null) =>
    Listeners.open({socketPath, tcp, handler: async () => null, log: () => undefined}).then(
      async listeners => { await listeners.drainConnections(); return null }, (error: unknown) => error)

  it('names a port in use and the start flags that choose another, or none', async () => {
    occupier = createServer()
    await new Promise<void>(resolve => occupier!.listen(0, '127.0.0.1', resolve))
    const port = (occupier.address() as {port: number}).port
    const error = await openError(join(dir, 'weir.sock'), {host: '127.0.0.1', port})
    expect(error).to.be.instanceOf(ListenError)
    expect((error as ListenError).message).to.equal(`cannot listen on 127.0.0.1:${port}: EADDRINUSE`)
    const hint = (error as ListenError).hint!
    for (const flag of ['--port N', '--listen HOST:PORT', 'WEIR_LISTEN', '--no-tcp']) expect(hint).to.contain(flag)
    expect(hint).to.not.contain('--host')
  })

  it('says of a socket path it cannot bind what is in the way, not how to change TCP', async () => {
    const socketPath = join(dir, 'weir.sock')
    await writeFile(socketPath, 'not a socket')
    const error = await openError(socketPath, null)
    expect(error).to.be.instanceOf(ListenError)
    expect((error as ListenError).message).to.contain(`cannot listen on ${socketPath}`)
    expect((error as ListenError).hint).to.contain(socketPath)
    expect((error as ListenError).hint).to.not.contain('--no-tcp')
  })
})
