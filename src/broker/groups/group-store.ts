/**
 * What the membership side of the group coordinator needs from the offsets side, which owns the
 * internal topic __consumer_offsets: writing a group's metadata record, deleting a group's records,
 * and whether a group still has committed offsets. Implemented by OffsetStore (offset-store.ts);
 * used by GroupCoordinator.
 */
import type {GroupMetadataValue} from '../../protocol/index.js'

export interface GroupStore {
  /**
   * Appends the group's GroupMetadata record to its __consumer_offsets partition and flushes it before
   * resolving (Kafka writes group records with acks=all). Written when a generation completes (the
   * leader's SyncGroup) and when a group becomes Empty.
   */
  storeGroupMetadata(groupId: string, value: GroupMetadataValue): Promise<void>
  /** Tombstones the group's metadata and every offset it committed, and forgets those offsets. */
  deleteGroup(groupId: string): Promise<void>
  /** True when the group has at least one committed offset. */
  hasOffsets(groupId: string): boolean
}
