/**
 * The daemon's listeners: the Unix socket (mode 0600, created under a 0177 umask so it is never
 * reachable by others, even for an instant) and, unless turned off, TCP on loopback (127.0.0.1:9092
 * by default; port 0 picks a free port). Both hand every connection to a Connection.
 *
 * Shutdown is two steps so the daemon can finish in-flight work between them: stopAccepting()
 * closes the servers, drainConnections() lets each connection answer what it received and close.
 * All connections share one request-memory budget (request-memory.ts).
 */
import {lstat, rm} from 'node:fs/promises'
import {createServer, type Server, type Socket} from 'node:net'
import {hostname} from 'node:os'
import {clientHostOf} from './client-host.js'
import {Connection, type FrameHandler} from './connection.js'
import {ListenError} from './errors.js'
import type {LogLine} from './logger.js'
import {RequestMemory} from './request-memory.js'

export interface TcpAddress {
  host: string
  port: number
}

/** A FrameHandler that is also told the client host of the connection the frame came on (client-host.ts). */
export type ClientFrameHandler = (frame: Buffer, hangup: AbortSignal, parked: () => void, clientHost: string) => ReturnType<FrameHandler>

export interface ListenerOptions {
  socketPath: string
  tcp: TcpAddress | null
  handler: ClientFrameHandler
  log: LogLine
  /** Shared by every connection; the default holds at most MAX_QUEUED_REQUEST_BYTES. */
  memory?: RequestMemory
}

export class Listeners {
  readonly socketPath: string
  /** The bound TCP address (the real port when 0 was asked), or null when TCP is off. */
  readonly tcp: TcpAddress | null
  private readonly servers: Server[]
  private readonly connections: Set<Connection>
  private serversClosed: Promise<void> | undefined

  private constructor(socketPath: string, tcp: TcpAddress | null, servers: Server[], connections: Set<Connection>) {
    this.socketPath = socketPath
    this.tcp = tcp
    this.servers = servers
    this.connections = connections
  }

  static async open(opts: ListenerOptions): Promise<Listeners> {
    const connections = new Set<Connection>()
    const memory = opts.memory ?? new RequestMemory()
    let next = 0
    const accept = (kind: 'unix' | 'tcp') => (socket: Socket) => {
      next += 1
      const peer = socket.remoteAddress === undefined ? '' : ` ${socket.remoteAddress}:${socket.remotePort}`
      const clientHost = clientHostOf(socket, kind)
      const handler: FrameHandler = (frame, hangup, parked) => opts.handler(frame, hangup, parked, clientHost)
      const connection = new Connection(socket, handler, opts.log, `${kind}#${next}${peer}`, memory)
      connections.add(connection)
      void connection.closed.then(() => connections.delete(connection))
    }
    const unix = createServer({allowHalfOpen: true}, accept('unix'))
    await listenUnix(unix, opts.socketPath)
    if (opts.tcp === null) return new Listeners(opts.socketPath, null, [unix], connections)
    const tcp = createServer({allowHalfOpen: true}, accept('tcp'))
    try {
      const bound = await listenTcp(tcp, opts.tcp)
      return new Listeners(opts.socketPath, bound, [unix, tcp], connections)
    } catch (error) {
      await closeServer(unix)
      await rm(opts.socketPath, {force: true})
      throw error
    }
  }

  /** Closes the listening sockets; open connections carry on. */
  async stopAccepting(): Promise<void> {
    // A server's close callback waits for its connections, so it is awaited in drainConnections.
    this.serversClosed ??= Promise.all(this.servers.map(closeServer)).then(() => undefined)
    await rm(this.socketPath, {force: true})
  }

  /** Each connection answers what it has received, then closes. */
  async drainConnections(): Promise<void> {
    await this.stopAccepting()
    await Promise.all([...this.connections].map(c => c.drainAndClose()))
    await this.serversClosed
  }
}

/**
 * The address Metadata tells clients to reconnect to: the bound one, except that a wildcard bind
 * (0.0.0.0, ::) is no address at all, so the host name stands in for it, as Kafka does.
 */
export function advertisedAddress(bound: TcpAddress): TcpAddress {
  return WILDCARD_HOSTS.has(bound.host) ? {host: hostname(), port: bound.port} : bound
}

const WILDCARD_HOSTS: ReadonlySet<string> = new Set(['0.0.0.0', '::', '[::]', ''])

export function formatTcpAddress(address: TcpAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`
}

async function listenUnix(server: Server, path: string): Promise<void> {
  await removeStaleSocket(path)
  // The socket file is created inside listen(); a tight umask makes it 0600 from the start.
  const previous = process.umask(0o177)
  try {
    await listen(server, () => server.listen(path), path, 'unix')
  } finally {
    process.umask(previous)
  }
}

async function listenTcp(server: Server, address: TcpAddress): Promise<TcpAddress> {
  await listen(server, () => server.listen(address.port, address.host), formatTcpAddress(address), 'tcp')
  const bound = server.address()
  if (bound === null || typeof bound === 'string') return address
  return {host: address.host, port: bound.port}
}

function listen(server: Server, start: () => void, label: string, transport: 'tcp' | 'unix'): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => reject(new ListenError(label, error.code ?? error.message, transport))
    server.once('error', onError)
    server.once('listening', () => {
      server.off('error', onError)
      resolve()
    })
    start()
  })
}

/** A socket file left by a daemon that died: safe to remove because we hold the data dir's lock. */
async function removeStaleSocket(path: string): Promise<void> {
  try {
    if ((await lstat(path)).isSocket()) await rm(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise(resolve => {
    if (!server.listening) return resolve()
    server.close(() => resolve())
  })
}
