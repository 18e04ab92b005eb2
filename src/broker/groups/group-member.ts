/**
 * One member of a classic group (Kafka's MemberMetadata): who it is, the protocols it offered with
 * their metadata, the assignment the leader gave it, and its held JoinGroup or SyncGroup answer.
 * The coordinator answers a held request by calling the member's join or sync callback once.
 */
import {TimerSlot} from './group-timers.js'

export interface MemberProtocol {
  readonly name: string
  readonly metadata: Buffer
}

/** A member as the leader's JoinGroup answer lists it. */
export interface JoinedMember {
  memberId: string
  groupInstanceId: string | null
  metadata: Buffer
}

/** What a JoinGroup is answered with (the handler shapes it per version). */
export interface JoinResult {
  errorCode: number
  memberId: string
  generationId: number
  protocolType: string | null
  protocolName: string | null
  /** The leader's member id, "" when none. */
  leader: string
  skipAssignment: boolean
  /** Every member with its metadata for the chosen protocol, for the leader; empty for the others. */
  members: JoinedMember[]
}

/** What a SyncGroup is answered with. */
export interface SyncResult {
  errorCode: number
  protocolType: string | null
  protocolName: string | null
  assignment: Buffer
}

export interface MemberIdentity {
  memberId: string
  groupInstanceId: string | null
  clientId: string
  clientHost: string
}

export interface MemberTimeouts {
  rebalanceTimeoutMs: number
  sessionTimeoutMs: number
}

export const NO_ASSIGNMENT = Buffer.alloc(0)

export class GroupMember {
  memberId: string
  readonly groupInstanceId: string | null
  readonly clientId: string
  readonly clientHost: string
  rebalanceTimeoutMs: number
  sessionTimeoutMs: number
  protocols: readonly MemberProtocol[]
  assignment: Buffer = NO_ASSIGNMENT
  /** Joined during the current rebalance and not yet given a generation: its session does not run yet. */
  isNew = false
  /** Its session: expires unless a heartbeat, commit, join or sync comes first. */
  readonly session = new TimerSlot()
  private joinCallback: ((result: JoinResult) => void) | null = null
  private syncCallback: ((result: SyncResult) => void) | null = null

  constructor(identity: MemberIdentity, timeouts: MemberTimeouts, protocols: readonly MemberProtocol[]) {
    this.memberId = identity.memberId
    this.groupInstanceId = identity.groupInstanceId
    this.clientId = identity.clientId
    this.clientHost = identity.clientHost
    this.rebalanceTimeoutMs = timeouts.rebalanceTimeoutMs
    this.sessionTimeoutMs = timeouts.sessionTimeoutMs
    this.protocols = protocols
  }

  get isStatic(): boolean {
    return this.groupInstanceId !== null
  }

  get isAwaitingJoin(): boolean {
    return this.joinCallback !== null
  }

  get isAwaitingSync(): boolean {
    return this.syncCallback !== null
  }

  /** The metadata it offered for `protocol` (empty when it did not offer it). */
  metadataFor(protocol: string): Buffer {
    return this.protocols.find(p => p.name === protocol)?.metadata ?? NO_ASSIGNMENT
  }

  /** True when `protocols` are the ones it joined with, in the same order with the same metadata. */
  matches(protocols: readonly MemberProtocol[]): boolean {
    return protocols.length === this.protocols.length &&
      protocols.every((p, i) => p.name === this.protocols[i].name && p.metadata.equals(this.protocols[i].metadata))
  }

  /** Its first choice among `candidates` (the protocols every member offers). */
  vote(candidates: ReadonlySet<string>): string | undefined {
    return this.protocols.find(p => candidates.has(p.name))?.name
  }

  awaitJoin(callback: (result: JoinResult) => void): void {
    this.joinCallback = callback
  }

  awaitSync(callback: (result: SyncResult) => void): void {
    this.syncCallback = callback
  }

  /** Answers the held JoinGroup, if any; false when none was held. */
  answerJoin(result: JoinResult): boolean {
    const callback = this.joinCallback
    if (callback === null) return false
    this.joinCallback = null
    callback(result)
    return true
  }

  /** Answers the held SyncGroup, if any; false when none was held. */
  answerSync(result: SyncResult): boolean {
    const callback = this.syncCallback
    if (callback === null) return false
    this.syncCallback = null
    callback(result)
    return true
  }
}
