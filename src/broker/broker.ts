/**
 * The broker: one request frame in, one response frame out (or none), for every connection.
 *
 * Dispatch: the header is decoded; a key/version outside the advertised ranges closes the
 * connection (ConnectionError), as AK does, except ApiVersions, which clients probe with versions
 * newer than ours: that gets a v0 body with a v0 header carrying UNSUPPORTED_VERSION (35) and our
 * ApiVersions range, without parsing the body (KIP-511), and the client retries lower.
 * A body that does not decode, a response that does not encode, or an unexpected fault in a handler
 * also closes the connection: the daemon never dies of a client's bytes. Handlers themselves answer
 * expected failures with per-topic/per-partition Kafka error codes.
 *
 * With TCP off there is no address to advertise; Metadata then names 127.0.0.1 port 0, which no
 * client can connect to: only the Weir client talks to such a daemon, over the socket, and it maps
 * every node to that socket.
 */
import {ApiKey, decodeRequestBody, decodeRequestHeader, encodeResponse, encodeResponseChunks, ErrorCode,
  type ApiKeyValue, type RequestHeader} from '../protocol/index.js'
import {NameLocks} from '../storage/index.js'
import {BrokerSettings} from './broker-settings.js'
import {CorruptionReporter} from './corruption-reporter.js'
import {FETCH_MAX_BYTES, type AdvertisedAddress, type BrokerContext, type BrokerOptions} from './context.js'
import {ConnectionError} from './errors.js'
import {GroupCoordinator} from './groups/group-coordinator.js'
import {OffsetStore} from './groups/offset-store.js'
import './handlers/index.js'
import {TransactionCoordinator} from './transactions/transaction-coordinator.js'
import {advertisedRange, handlerFor, type ApiHandler} from './registry.js'
import {WakeSignal} from './wake-signal.js'

export type {BrokerOptions} from './context.js'
export {ConnectionError} from './errors.js'

/** What Metadata advertises when TCP is off (see the header comment). */
export const NO_TCP_ADDRESS: AdvertisedAddress = {host: '127.0.0.1', port: 0}

export class Broker {
  private readonly ctx: BrokerContext
  /** The context of requests from one connection: the broker's, plus that connection's hangup signal. */
  private readonly connectionContexts = new WeakMap<AbortSignal, BrokerContext>()
  private closing = false

  constructor(opts: BrokerOptions) {
    const settings = opts.settings ?? BrokerSettings.DEFAULTS
    const offsets = new OffsetStore({logs: opts.logs, settings: settings.groups, log: opts.logger})
    this.ctx = {
      logs: opts.logs,
      nodeId: opts.nodeId,
      clusterId: opts.clusterId,
      advertised: opts.advertised ?? NO_TCP_ADDRESS,
      autoCreateTopics: opts.autoCreateTopics,
      defaultPartitions: opts.defaultPartitions,
      fetchMaxBytes: opts.fetchMaxBytes ?? FETCH_MAX_BYTES,
      settings,
      log: opts.logger,
      corruption: new CorruptionReporter(opts.logger),
      wake: new WakeSignal(),
      groups: new GroupCoordinator({store: offsets, settings: settings.groups, log: opts.logger}),
      offsets,
      transactions: new TransactionCoordinator({logs: opts.logs, offsets, settings: settings.transactions, log: opts.logger}),
      topicAlterations: new NameLocks(),
      closing: () => this.closing,
    }
  }

  /**
   * Loads the consumer groups and their committed offsets from __consumer_offsets and starts offset
   * expiry; then the transactional ids from __transaction_state, completing the transactions a
   * stop left between their Prepare and Complete states (their markers reach __consumer_offsets
   * too, so the groups come first), and starts transaction timeouts. Called once before the first
   * request: no request ever sees a coordinator still loading.
   */
  async start(): Promise<void> {
    const groups = await this.ctx.offsets.load()
    this.ctx.groups.restore(groups, this.ctx.offsets.groupIds())
    this.ctx.offsets.startExpiry(this.ctx.groups)
    await this.ctx.transactions.load()
    this.ctx.transactions.start()
  }

  /**
   * One frame without its size prefix -> the response frame with its prefix, or null (acks=0).
   * `hangup` aborts when the client has gone: a long poll then answers at once. `parked` is called
   * when the request only waits from then on (a long poll), so its connection may start the next.
   * `clientHost` is the connection's peer as group members record it (server/client-host.ts).
   */
  async handle(frame: Buffer, hangup?: AbortSignal, parked?: () => void, clientHost?: string): Promise<Buffer | null> {
    const chunks = await this.handleChunks(frame, hangup, parked, clientHost)
    return chunks === null ? null : Buffer.concat(chunks)
  }

  /**
   * As handle(), the response as chunks to write in order: a Fetch's record batches go out as the
   * buffers read from the log, not copied into the frame first.
   */
  async handleChunks(frame: Buffer, hangup?: AbortSignal, parked?: () => void, clientHost?: string): Promise<Buffer[] | null> {
    const header = decodeHeader(frame)
    const range = advertisedRange(header.apiKey)
    const handler = handlerFor(header.apiKey)
    if (handler === undefined || range === undefined || header.apiVersion < range.minVersion || header.apiVersion > range.maxVersion) {
      if (header.apiKey === ApiKey.ApiVersions) return [unsupportedApiVersions(header.correlationId)]
      throw new ConnectionError(`unsupported request: api key ${header.apiKey} version ${header.apiVersion}${from(header)}`)
    }
    const request = decodeBody(handler, header, frame)
    const response = await this.run(handler, header, request, this.contextFor(hangup, parked, clientHost))
    if (response === null) return null
    try {
      return encodeResponseChunks(handler.apiKey, header.apiVersion, header.correlationId, response)
    } catch (error) {
      this.ctx.log(`encoding ${handler.name} v${header.apiVersion} response failed: ${stackOf(error)}`)
      throw new ConnectionError(`${handler.name} v${header.apiVersion} response could not be encoded`)
    }
  }

  /** Wakes every pending long poll so it answers now; later fetches answer without waiting; stops the group and transaction timers. */
  close(): void {
    this.closing = true
    this.ctx.groups.close()
    this.ctx.offsets.close()
    this.ctx.transactions.close()
    this.ctx.wake.wake()
  }

  private contextFor(hangup: AbortSignal | undefined, parked: (() => void) | undefined, clientHost: string | undefined): BrokerContext {
    let ctx = this.ctx
    if (hangup !== undefined) {
      ctx = this.connectionContexts.get(hangup) ?? {...this.ctx, hangup, clientHost}
      this.connectionContexts.set(hangup, ctx)
    }
    return parked === undefined ? ctx : {...ctx, parked}
  }

  private async run(handler: ApiHandler<ApiKeyValue>, header: RequestHeader, request: unknown, ctx: BrokerContext) {
    try {
      return await handler.handle(request as never, header.apiVersion, ctx, header)
    } catch (error) {
      if (error instanceof ConnectionError) throw error
      this.ctx.log(`${handler.name} v${header.apiVersion}${from(header)} failed: ${stackOf(error)}`)
      throw new ConnectionError(`${handler.name} v${header.apiVersion} failed: ${(error as Error).message}`)
    }
  }
}

function decodeHeader(frame: Buffer): RequestHeader & {bodyOffset: number} {
  try {
    return decodeRequestHeader(frame)
  } catch (error) {
    throw new ConnectionError(`malformed request header (${frame.length} bytes): ${(error as Error).message}`)
  }
}

function decodeBody(handler: ApiHandler<ApiKeyValue>, header: RequestHeader & {bodyOffset: number}, frame: Buffer): unknown {
  try {
    return decodeRequestBody(handler.apiKey, header.apiVersion, frame, header.bodyOffset)
  } catch (error) {
    throw new ConnectionError(`malformed ${handler.name} v${header.apiVersion} request${from(header)}: ${(error as Error).message}`)
  }
}

/** KIP-511: a v0 ApiVersions answer that tells the client which ApiVersions versions to retry with. */
function unsupportedApiVersions(correlationId: number): Buffer {
  const own = advertisedRange(ApiKey.ApiVersions)
  return encodeResponse(ApiKey.ApiVersions, 0, correlationId, {
    errorCode: ErrorCode.UNSUPPORTED_VERSION,
    apiKeys: own === undefined ? [] : [own],
    throttleTimeMs: 0, supportedFeatures: [], finalizedFeaturesEpoch: -1, finalizedFeatures: [], zkMigrationReady: false,
  })
}

function from(header: RequestHeader): string {
  return header.clientId === null || header.clientId === '' ? '' : ` from client ${header.clientId}`
}

function stackOf(error: unknown): string {
  return error instanceof Error ? error.stack ?? error.message : String(error)
}
