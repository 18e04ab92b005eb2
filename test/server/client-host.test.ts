import {expect} from 'chai'
import {once} from 'node:events'
import {mkdtempSync, rmSync} from 'node:fs'
import {createServer, connect, type AddressInfo, type Socket} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {clientHostOf} from '../../src/server/client-host.js'

/** The server side of one connection made to `listen`'s server with `dial`. */
async function accepted(listen: (server: ReturnType<typeof createServer>) => void, dial: (server: ReturnType<typeof createServer>) => Socket):
  Promise<{socket: Socket; close: () => void}> {
  const server = createServer()
  listen(server)
  await once(server, 'listening')
  const client = dial(server)
  const [socket] = await once(server, 'connection') as [Socket]
  return {socket, close: () => { client.destroy(); socket.destroy(); server.close() }}
}

describe('clientHostOf', () => {
  it('names a TCP peer by its IP as Java prints it, IPv4 on a dual-stack socket without the mapping prefix', async () => {
    const v4 = await accepted(s => s.listen(0, '127.0.0.1'), s => connect((s.address() as AddressInfo).port, '127.0.0.1'))
    try {
      expect(clientHostOf(v4.socket, 'tcp')).to.equal('/127.0.0.1')
    } finally {
      v4.close()
    }
    const mapped = {remoteAddress: '::ffff:10.1.2.3'} as Socket
    expect(clientHostOf(mapped, 'tcp')).to.equal('/10.1.2.3')
    expect(clientHostOf({remoteAddress: '::1'} as Socket, 'tcp')).to.equal('/::1')
  })

  it('names a Unix-socket peer localhost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weir-client-host-'))
    const path = join(dir, 's.sock')
    const unix = await accepted(s => s.listen(path), () => connect(path))
    try {
      expect(clientHostOf(unix.socket, 'unix')).to.equal('localhost')
    } finally {
      unix.close()
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
