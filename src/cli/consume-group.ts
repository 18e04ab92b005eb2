// `weir consume --group G`: the command's group mode. The group decides which partitions this process
// reads; each starts at the group's committed offset, or (without one) at the earliest record with
// --from-beginning and at the end otherwise, as kafka-console-consumer does. What has been written to
// stdout is committed: periodically, before partitions move to another member, and on exit.
import type {KafkaClient} from '../client/index.js'
import type {IsolationLevel} from '../client/consumer.js'
import type {GroupEvent, GroupConsumer} from '../client/group-consumer.js'
import type {TopicPartitions} from '../client/assignors/index.js'
import type {GroupSettings} from './consumer-properties.js'
import type {ConsumeOptions} from './consume-pipeline.js'

export interface GroupModeOptions {
  groupId: string
  topic: string
  fromBeginning: boolean
  settings: GroupSettings
  /** Default read_uncommitted. */
  isolationLevel?: IsolationLevel
  /** Progress notes (joins, assignments) go to `note`; warnings go to `warn`. */
  note: ((line: string) => void) | null
  warn: ((line: string) => void) | null
}

/** The group member reading `topic`, with its notes wired to the command's stderr. */
export function groupConsumer(client: KafkaClient, options: GroupModeOptions): GroupConsumer {
  const {settings, note, warn, topic} = options
  return client.groupConsumer({
    groupId: options.groupId,
    topics: [topic],
    offsetReset: options.fromBeginning ? 'earliest' : 'latest',
    isolationLevel: options.isolationLevel,
    assignors: settings.assignors,
    sessionTimeoutMs: settings.sessionTimeoutMs,
    heartbeatIntervalMs: settings.heartbeatIntervalMs,
    rebalanceTimeoutMs: settings.rebalanceTimeoutMs,
    autoCommitIntervalMs: settings.autoCommitIntervalMs,
    groupInstanceId: settings.groupInstanceId ?? null,
    onOffsetReset: ({partition, from, to, policy}) => warn?.(`${topic}/${partition} no longer holds offset ${from}; reading from ${to} (${policy}).`),
    onEvent: (event) => {
      const line = describeEvent(options.groupId, event)
      if (event.kind === 'commit-failed') warn?.(line)
      else note?.(line)
    },
  })
}

/** The pipeline options that tie it to the group member: positions, commits, and --exit-at-end. */
export function groupPipelineOptions(consumer: GroupConsumer, topic: string):
  Pick<ConsumeOptions, 'startPositions' | 'endOffsets' | 'position' | 'onWritten' | 'atEnd'> {
  return {
    startPositions: new Map(),
    endOffsets: new Map(),
    position: (partition) => consumer.position(topic, partition) ?? -1,
    onWritten: (partition, nextOffset) => consumer.processedUpTo(topic, partition, nextOffset),
    atEnd: {reached: () => consumer.atEnd(), onChange: (listener) => consumer.onAssignmentChange(listener)},
  }
}

export function describeEvent(groupId: string, event: GroupEvent): string {
  switch (event.kind) {
    case 'joined': {
      const {generationId, memberId, protocol, leader} = event.generation
      return `Joined group ${groupId}: generation ${generationId}, member ${memberId}, assignor ${protocol}${leader ? ' (leader)' : ''}.`
    }
    case 'assigned':
      return `Assigned ${partitionList(event.partitions)}.`
    case 'revoked':
      return `${event.lost ? 'Lost' : 'Revoked'} ${partitionList(event.partitions)}.`
    case 'commit-failed':
      return `could not commit offsets for group ${groupId}: ${event.error.message}`
  }
}

function partitionList(partitions: readonly TopicPartitions[]): string {
  return partitions.map(({topic, partitions: indexes}) => `${topic} [${indexes.join(', ')}]`).join(', ')
}
