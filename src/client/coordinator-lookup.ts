// Finding the broker that coordinates a group (or a transactional id) and talking to it. Kafka moves a
// coordinator when the __consumer_offsets partition behind it moves, so every answer meaning "not me"
// (NOT_COORDINATOR), "not yet" (COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS) or a dead
// connection sends the caller back to FindCoordinator, with backoff, until the request timeout.
import {ApiKey, ErrorCode, type FindCoordinatorResponse} from '../protocol/index.js'
import {DEFAULT_LANE, type BrokerConnection, type Cluster} from './cluster.js'
import {ConnectionError, KafkaProtocolError, MalformedResponseError, UnsupportedVersionError, isTransportError} from './errors.js'
import {backoffMs, sleep} from './retry.js'

export const CoordinatorType = {GROUP: 0, TRANSACTION: 1} as const
export type CoordinatorTypeValue = (typeof CoordinatorType)[keyof typeof CoordinatorType]

/** Answers after which the coordinator is looked up again and the request retried. */
const COORDINATOR_ERRORS: ReadonlySet<number> = new Set([
  ErrorCode.NOT_COORDINATOR,
  ErrorCode.COORDINATOR_NOT_AVAILABLE,
  ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
])

/** FindCoordinator answers every key of a batch (v4+); older brokers take one key per request. */
const FIRST_BATCHED_VERSION = 4
const RETRY_BASE_MS = 100

export function isCoordinatorError(errorCode: number): boolean {
  return COORDINATOR_ERRORS.has(errorCode)
}

/** One key's answer to FindCoordinator. */
interface Found {
  key: string
  nodeId: number
  errorCode: number
  errorMessage: string | null
}

export class CoordinatorLookup {
  private readonly known = new Map<string, number>()

  constructor(private readonly cluster: Cluster) {}

  /** The node coordinating `key` (FindCoordinator: batched v4+ or single), cached. */
  async nodeFor(key: string, type: CoordinatorTypeValue = CoordinatorType.GROUP): Promise<number> {
    const nodes = await this.nodesFor([key], type)
    return nodes.get(key)!
  }

  /**
   * The nodes coordinating several keys, asked in one FindCoordinator where the broker batches keys.
   * Keys whose coordinator is not ready are asked again with backoff until the request timeout; then
   * the error of the first such key is thrown.
   */
  async nodesFor(keys: string[], type: CoordinatorTypeValue = CoordinatorType.GROUP): Promise<Map<string, number>> {
    const nodes = new Map<string, number>()
    const deadline = Date.now() + this.cluster.requestTimeoutMs
    let missing = [...new Set(keys)]
    for (let attempt = 0; ; attempt++) {
      for (const key of missing) {
        const cached = this.known.get(cacheKey(key, type))
        if (cached !== undefined) nodes.set(key, cached)
      }
      missing = missing.filter((key) => !nodes.has(key))
      if (missing.length === 0) return nodes
      const failed = await this.find(missing, type)
      const wait = backoffMs(attempt, RETRY_BASE_MS)
      if (failed && Date.now() + wait >= deadline) throw failed
      if (failed) await sleep(wait, this.cluster.signal)
    }
  }

  /** Forgets the cached node (after NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, or a dead connection). */
  forget(key: string, type: CoordinatorTypeValue = CoordinatorType.GROUP): void {
    this.known.delete(cacheKey(key, type))
  }

  /**
   * Runs `send` on a connection to the coordinator (lane `lane`, default the default lane); when
   * `errorOf(response)` is NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE or COORDINATOR_LOAD_IN_PROGRESS, or
   * the connection fails, looks the coordinator up again and retries with backoff until the cluster's
   * request timeout; then throws KafkaProtocolError / the connection error.
   */
  async withCoordinator<T>(key: string, send: (broker: BrokerConnection) => Promise<T>, errorOf: (response: T) => number,
    options: {type?: CoordinatorTypeValue; lane?: string} = {}): Promise<T> {
    const type = options.type ?? CoordinatorType.GROUP
    const deadline = Date.now() + this.cluster.requestTimeoutMs
    for (let attempt = 0; ; attempt++) {
      let failure: unknown
      try {
        const broker = await this.connectionTo(await this.nodeFor(key, type), options.lane ?? DEFAULT_LANE)
        const response = await send(broker)
        const errorCode = errorOf(response)
        if (!isCoordinatorError(errorCode)) return response
        failure = new KafkaProtocolError(errorCode, subjectOf(key, type))
      } catch (error) {
        if (!isTransportError(error) && !(error instanceof KafkaProtocolError && isCoordinatorError(error.kafkaCode))) throw error
        failure = error
      }
      this.forget(key, type)
      const wait = backoffMs(attempt, RETRY_BASE_MS)
      if (Date.now() + wait >= deadline) throw failure
      await sleep(wait, this.cluster.signal)
    }
  }

  /**
   * The batched form of withCoordinator, for requests naming many groups (DescribeGroups, DeleteGroups):
   * keys are grouped by coordinator, `send` runs once per coordinator with its keys, and keys whose
   * answer carries a coordinator error (or whose connection failed) are looked up and sent again until
   * the request timeout. Answers are keyed by `keyOf`.
   */
  async withCoordinators<R>(keys: string[], send: (broker: BrokerConnection, keys: string[], nodeId: number) => Promise<R[]>,
    keyOf: (answer: R) => string, errorOf: (answer: R) => number,
    options: {type?: CoordinatorTypeValue; lane?: string} = {}): Promise<Map<string, R>> {
    const type = options.type ?? CoordinatorType.GROUP
    const answers = new Map<string, R>()
    const deadline = Date.now() + this.cluster.requestTimeoutMs
    let remaining = [...new Set(keys)]
    let failure: unknown
    for (let attempt = 0; remaining.length > 0; attempt++) {
      if (attempt > 0) {
        const wait = backoffMs(attempt - 1, RETRY_BASE_MS)
        if (Date.now() + wait >= deadline) throw failure
        await sleep(wait, this.cluster.signal)
      }
      const nodes = await this.nodesFor(remaining, type)
      await Promise.all(byNode(remaining, nodes).map(async ([nodeId, group]) => {
        try {
          const broker = await this.connectionTo(nodeId, options.lane ?? DEFAULT_LANE)
          for (const answer of await send(broker, group, nodeId)) {
            const errorCode = errorOf(answer)
            if (!isCoordinatorError(errorCode)) answers.set(keyOf(answer), answer)
            else failure = new KafkaProtocolError(errorCode, subjectOf(keyOf(answer), type))
          }
        } catch (error) {
          if (!isTransportError(error)) throw error
          failure = error
        }
      }))
      remaining = remaining.filter((key) => !answers.has(key))
      for (const key of remaining) this.forget(key, type)
      failure ??= new MalformedResponseError(`the coordinator did not answer for ${subjectOf(remaining[0] ?? '', type)}`)
    }
    return answers
  }

  /**
   * Connects to a coordinator. A node id FindCoordinator named but the last Metadata did not (a broker
   * that just joined) is worth one metadata refresh before giving up.
   */
  async connectionTo(nodeId: number, lane: string = DEFAULT_LANE): Promise<BrokerConnection> {
    try {
      return await this.cluster.connectionTo(nodeId, lane)
    } catch (error) {
      if (!(error instanceof ConnectionError)) throw error
      await this.cluster.metadata([])
      return this.cluster.connectionTo(nodeId, lane)
    }
  }

  /**
   * Sends FindCoordinator for `keys` and caches what it learns. Returns the error to retry on when some
   * key's coordinator is not ready (or the connection failed), undefined when every key was answered;
   * other errors are thrown.
   */
  private async find(keys: string[], type: CoordinatorTypeValue): Promise<Error | undefined> {
    let answers: Found[]
    try {
      answers = await this.ask(keys, type)
    } catch (error) {
      if (isTransportError(error)) return error as Error
      throw error
    }
    let retry: Error | undefined
    for (const answer of answers) {
      if (answer.errorCode === ErrorCode.NONE) {
        this.known.set(cacheKey(answer.key, type), answer.nodeId)
        continue
      }
      const error = new KafkaProtocolError(answer.errorCode, subjectOf(answer.key, type), answer.errorMessage)
      if (!isCoordinatorError(answer.errorCode)) throw error
      retry ??= error
    }
    return retry
  }

  /** One batched request (v4+), or one request per key on older brokers. */
  private async ask(keys: string[], type: CoordinatorTypeValue): Promise<Found[]> {
    const broker = await this.cluster.anyConnection()
    const version = broker.versions.version(ApiKey.FindCoordinator)
    if (version >= FIRST_BATCHED_VERSION) {
      const response = await broker.connection.request(ApiKey.FindCoordinator, version, {key: '', keyType: type, coordinatorKeys: keys})
      return keys.map((key) => {
        const answer = response.coordinators.find((c) => c.key === key)
        return answer ?? {key, nodeId: -1, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, errorMessage: 'no answer for this key'}
      })
    }
    if (type !== CoordinatorType.GROUP && version < 1) {
      throw new UnsupportedVersionError(`broker does not support FindCoordinator v1 (transaction coordinators); it offers v0`)
    }
    return Promise.all(keys.map(async (key) => {
      const response = await broker.connection.request(ApiKey.FindCoordinator, version, {key, keyType: type, coordinatorKeys: []})
      return singleAnswer(key, response)
    }))
  }
}

function singleAnswer(key: string, response: FindCoordinatorResponse): Found {
  return {key, nodeId: response.nodeId, errorCode: response.errorCode, errorMessage: response.errorMessage}
}

/** Keys grouped by the node coordinating them. */
function byNode(keys: string[], nodes: ReadonlyMap<string, number>): [number, string[]][] {
  const groups = new Map<number, string[]>()
  for (const key of keys) {
    const nodeId = nodes.get(key)!
    let group = groups.get(nodeId)
    if (!group) groups.set(nodeId, (group = []))
    group.push(key)
  }
  return [...groups]
}

function cacheKey(key: string, type: CoordinatorTypeValue): string {
  return `${type}\u0000${key}`
}

function subjectOf(key: string, type: CoordinatorTypeValue): string {
  return type === CoordinatorType.GROUP ? `group ${key}` : `transactional id ${key}`
}
