import {mkdtemp, rm} from 'node:fs/promises'
import {createServer, connect, type Server, type Socket} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {expect} from 'chai'
import {Connection, MAX_PENDING_RESPONSES, type FrameHandler} from '../../src/server/connection.js'
import {FrameReader} from '../../src/server/frame-reader.js'
import {RequestMemory, type FrameMemory} from '../../src/server/request-memory.js'

/** Frames with an int32 size prefix. */
const frame = (text: string) => {
  const out = Buffer.alloc(4 + Buffer.byteLength(text))
  out.writeInt32BE(out.length - 4)
  out.write(text, 4)
  return out
}

describe('Connection', () => {
  let dir: string
  let server: Server
  let lines: string[]
  let connection: Connection | undefined
  let client: Socket | undefined

  let path: string

  async function serve(handler: FrameHandler, memory?: FrameMemory): Promise<Socket> {
    dir = await mkdtemp(join(tmpdir(), 'weir-conn-'))
    lines = []
    connection = undefined
    server = createServer({allowHalfOpen: true}, socket => { connection = new Connection(socket, handler, l => lines.push(l), 'test', memory) })
    path = join(dir, 's.sock')
    await new Promise<void>(resolve => server.listen(path, resolve))
    client = connect(path)
    return client
  }

  function responses(socket: Socket, count: number): Promise<string[]> {
    const reader = new FrameReader()
    const got: string[] = []
    return new Promise(resolve => socket.on('data', chunk => {
      got.push(...reader.push(chunk).map(f => f.toString()))
      if (got.length >= count) resolve(got)
    }))
  }

  afterEach(async () => {
    client?.destroy()
    server.close()
    await rm(dir, {recursive: true, force: true})
  })

  it('writes responses in request order even when later ones finish first', async () => {
    const gates = new Map<string, () => void>()
    const socket = await serve(async request => {
      const text = request.toString()
      if (text === 'slow') await new Promise<void>(resolve => gates.set(text, resolve))
      return frame(`re:${text}`)
    })
    const got = responses(socket, 3)
    socket.write(Buffer.concat([frame('slow'), frame('fast1'), frame('fast2')]))
    while (!gates.has('slow')) await new Promise(resolve => setImmediate(resolve))
    gates.get('slow')?.()
    expect(await got).to.deep.equal(['re:slow', 're:fast1', 're:fast2'])
    socket.destroy()
  })

  it('starts a request only after the one before it settled', async () => {
    const started: string[] = []
    let release: (() => void) | undefined
    const socket = await serve(async request => {
      started.push(request.toString())
      if (request.toString() === 'create') await new Promise<void>(resolve => { release = resolve })
      return frame(`re:${request}`)
    })
    const got = responses(socket, 2)
    socket.write(Buffer.concat([frame('create'), frame('describe')]))
    while (release === undefined) await new Promise(resolve => setImmediate(resolve))
    for (let i = 0; i < 20; i++) await new Promise(resolve => setImmediate(resolve))
    expect(started).to.deep.equal(['create'])
    release()
    expect(await got).to.deep.equal(['re:create', 're:describe'])
    expect(started).to.deep.equal(['create', 'describe'])
  })

  it('starts the next request while a parked one waits, and still answers in request order', async () => {
    let release: (() => void) | undefined
    const socket = await serve(async (request, _hangup, parked) => {
      if (request.toString() === 'poll') {
        parked()
        await new Promise<void>(resolve => { release = resolve })
      }
      if (request.toString() === 'produce') release?.()
      return frame(`re:${request}`)
    })
    const got = responses(socket, 2)
    socket.write(Buffer.concat([frame('poll'), frame('produce')]))
    expect(await got).to.deep.equal(['re:poll', 're:produce'])
  })

  it('starts nothing after a rejected request', async () => {
    const started: string[] = []
    const socket = await serve(async request => {
      started.push(request.toString())
      if (request.toString() === 'bad') throw new Error('no such thing')
      return frame(`re:${request}`)
    })
    socket.resume()
    const closed = new Promise(resolve => socket.once('close', resolve))
    socket.write(Buffer.concat([frame('a'), frame('bad'), frame('c')]))
    await closed
    expect(started).to.deep.equal(['a', 'bad'])
  })

  it('takes no more frames from a chunk than the pending limit, and the rest once answers leave', async () => {
    const releases: (() => void)[] = []
    const socket = await serve(async (request, _hangup, parked) => {
      parked()
      await new Promise<void>(resolve => releases.push(resolve))
      return frame(`re:${request}`)
    })
    const count = MAX_PENDING_RESPONSES + 40
    const got = responses(socket, count)
    socket.write(Buffer.concat(Array.from({length: count}, (_, i) => frame(String(i)))))
    while (releases.length < MAX_PENDING_RESPONSES) await new Promise(resolve => setImmediate(resolve))
    for (let i = 0; i < 20; i++) await new Promise(resolve => setImmediate(resolve))
    expect(releases).to.have.length(MAX_PENDING_RESPONSES)
    for (let released = 0; released < count; released++) {
      while (releases.length <= released) await new Promise(resolve => setImmediate(resolve))
      releases[released]()
    }
    expect(await got).to.deep.equal(Array.from({length: count}, (_, i) => `re:${i}`))
  })

  it('shares request memory across connections: a frame that does not fit waits until another is answered', async () => {
    const memory = new RequestMemory(100)
    const started: string[] = []
    let release: (() => void) | undefined
    const first = await serve(async request => {
      const text = request.toString()
      started.push(text[0])
      if (text.startsWith('a')) await new Promise<void>(resolve => { release = resolve })
      return frame(text[0])
    }, memory)
    const second = connect(path)
    const answered = responses(second, 1)
    first.write(frame('a'.repeat(80)))
    while (release === undefined) await new Promise(resolve => setImmediate(resolve))
    second.write(frame('b'.repeat(50)))
    for (let i = 0; i < 50 && memory.held === 80; i++) await new Promise(resolve => setTimeout(resolve, 1))
    expect(started).to.deep.equal(['a'])
    release()
    expect(await answered).to.deep.equal(['b'])
    expect(started).to.deep.equal(['a', 'b'])
    second.destroy()
  })

  it('closes the connection and logs when reading a frame fails for any reason', async () => {
    const failing: FrameMemory = {tryReserve: () => { throw new RangeError('Array buffer allocation failed') },
      release: () => undefined, onRelease: () => () => undefined}
    const socket = await serve(async () => frame('never'), failing)
    socket.resume()
    const closed = new Promise(resolve => socket.once('close', resolve))
    socket.write(frame('x'))
    await closed
    expect(lines.join('\n')).to.match(/closing connection: reading a request failed: Array buffer allocation failed/)
  })

  it('writes nothing for a null response and keeps the order of the rest', async () => {
    const socket = await serve(async request => (request.toString() === 'quiet' ? null : frame(`re:${request}`)))
    const got = responses(socket, 2)
    socket.write(Buffer.concat([frame('a'), frame('quiet'), frame('b')]))
    expect(await got).to.deep.equal(['re:a', 're:b'])
    socket.destroy()
  })

  it('closes only after answering what came before a rejected request, and logs why', async () => {
    const socket = await serve(async request => {
      if (request.toString() === 'bad') throw new Error('no such thing')
      return frame(`re:${request}`)
    })
    const got: string[] = []
    const reader = new FrameReader()
    socket.on('data', chunk => got.push(...reader.push(chunk).map(f => f.toString())))
    const closed = new Promise(resolve => socket.once('close', resolve))
    socket.write(Buffer.concat([frame('a'), frame('bad'), frame('c')]))
    await closed
    expect(got).to.deep.equal(['re:a'])
    expect(lines.join('\n')).to.match(/test: closing connection: no such thing/)
  })

  it('closes on a frame size it refuses', async () => {
    const socket = await serve(async () => frame('never'))
    const closed = new Promise(resolve => socket.once('close', resolve))
    socket.write(Buffer.from([0x80, 0, 0, 0]))
    await closed
    expect(lines.join('\n')).to.match(/negative frame size/)
  })

  it('answers a peer that has shut down its sending side', async () => {
    const socket = await serve(async request => frame(`re:${request}`))
    const got = responses(socket, 1)
    socket.end(frame('last'))
    expect(await got).to.deep.equal(['re:last'])
  })

  it('tells its handlers when the peer stops sending, and still answers it', async () => {
    // A long poll that waits on the signal answers early, and a half-closed peer still reads it.
    const socket = await serve(async (request, hangup) => {
      await new Promise(resolve => hangup.aborted ? resolve(undefined) : hangup.addEventListener('abort', resolve))
      return frame(`re:${request}`)
    })
    const got = responses(socket, 1)
    socket.end(frame('poll'))
    expect(await got).to.deep.equal(['re:poll'])
  })

  for (const [how, hangUp] of [
    ['the peer goes away', (socket: Socket) => socket.destroy()],
    ['the connection is closed', () => (connection as Connection).destroy()],
  ] as const) {
    it(`tells its handlers when ${how}`, async () => {
      const signals: AbortSignal[] = []
      const socket = await serve(async (_request, hangup) => {
        signals.push(hangup)
        return new Promise(() => undefined)
      })
      socket.write(frame('poll'))
      while (signals.length === 0) await new Promise(resolve => setTimeout(resolve, 5))
      const [hangup] = signals
      expect(hangup).to.be.instanceOf(AbortSignal)
      expect(hangup.aborted).to.equal(false)
      hangUp(socket)
      await new Promise(resolve => hangup.aborted ? resolve(undefined) : hangup.addEventListener('abort', resolve))
    })
  }

  it('drainAndClose answers what was received, then ends the connection', async () => {
    let release: (() => void) | undefined
    const socket = await serve(async () => {
      await new Promise<void>(resolve => { release = resolve })
      return frame('done')
    })
    const got = responses(socket, 1)
    socket.write(frame('pending'))
    while (release === undefined) await new Promise(resolve => setImmediate(resolve))
    const draining = (connection as Connection).drainAndClose()
    release()
    await draining
    expect(await got).to.deep.equal(['done'])
  })
})
