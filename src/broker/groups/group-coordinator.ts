/**
 * The classic consumer-group coordinator: every group's members, generation and state machine.
 * (Skeleton: the state machine is being built.)
 */
import {ErrorCode, type GroupMetadataValue} from '../../protocol/index.js'
import type {GroupSettings} from '../broker-settings.js'
import type {GroupMembership, GroupSnapshot} from './group-membership.js'
import type {GroupStore} from './group-store.js'

export interface GroupCoordinatorOptions {
  store: GroupStore
  settings: GroupSettings
  log: (line: string) => void
  /** The clock (tests move it). */
  now?: () => number
}

export class GroupCoordinator implements GroupMembership {
  constructor(private readonly options: GroupCoordinatorOptions) {}

  /** At start-up: the groups as __consumer_offsets holds them, and the groups that only have offsets. */
  restore(_groups: ReadonlyMap<string, GroupMetadataValue>, _offsetGroups: Iterable<string>): void {}

  /** Stops every timer; safe to call more than once. */
  close(): void {}

  offsetCommitError(_groupId: string, _memberId: string, _generationId: number, _groupInstanceId: string | null): number {
    return ErrorCode.COORDINATOR_NOT_AVAILABLE
  }

  snapshot(_groupId: string): GroupSnapshot | undefined {
    return undefined
  }

  async offsetsGone(_groupId: string): Promise<void> {}
}
