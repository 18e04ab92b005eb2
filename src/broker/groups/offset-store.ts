/**
 * Committed offsets of every group, and the internal topic __consumer_offsets that holds them and the
 * groups' metadata. (Skeleton: the replay, the records and expiry are being built.)
 */
import type {GroupMetadataValue} from '../../protocol/index.js'
import type {LogManager} from '../../storage/index.js'
import type {GroupSettings} from '../broker-settings.js'
import type {GroupMembership} from './group-membership.js'
import type {GroupStore} from './group-store.js'

export interface OffsetStoreOptions {
  logs: LogManager
  settings: GroupSettings
  log: (line: string) => void
  /** The clock (tests move it). */
  now?: () => number
}

export class OffsetStore implements GroupStore {
  constructor(private readonly options: OffsetStoreOptions) {}

  /** Replays __consumer_offsets (when it exists): the offsets are kept here, the groups' metadata returned. */
  async load(): Promise<ReadonlyMap<string, GroupMetadataValue>> {
    return new Map()
  }

  /** Every group with committed offsets. */
  groupIds(): string[] {
    return []
  }

  /** Starts the offsets.retention.minutes expiry task. */
  startExpiry(_membership: GroupMembership): void {}

  /** Stops background work; safe to call more than once. */
  close(): void {}

  async storeGroupMetadata(_groupId: string, _value: GroupMetadataValue): Promise<void> {
    throw new Error('group metadata records are not written yet')
  }

  async deleteGroup(_groupId: string): Promise<void> {
    throw new Error('group deletion is not built yet')
  }

  hasOffsets(_groupId: string): boolean {
    return false
  }
}
