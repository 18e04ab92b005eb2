import {Args, Flags} from '@oclif/core'

import {KafkaProtocolError} from '../../src/client/errors.js'
import type {GroupPartitionResult} from '../../src/client/index.js'
import {ErrorCode} from '../../src/protocol/index.js'
import {BaseCommand, connectionFlags} from '../../src/cli/base-command.js'
import {CliError} from '../../src/cli/cli-errors.js'
import {type DeletedOffset, deleteOffsetsGroupError, deletedOffsetRows, groupErrorText} from '../../src/cli/group-errors.js'
import {topicScopes} from '../../src/cli/group-topic-scope.js'
import {formatTable} from '../../src/cli/table.js'
import {topicError} from '../../src/cli/topic-errors.js'

export interface GroupDeleteOffsetsResult {
  group: string
  partitions: DeletedOffset[]
}

/** Answers about the group as a whole: every partition carries them, and the table would only repeat them. */
const GROUP_LEVEL = new Set<number>([ErrorCode.GROUP_ID_NOT_FOUND, ErrorCode.INVALID_GROUP_ID, ErrorCode.NON_EMPTY_GROUP, ErrorCode.GROUP_AUTHORIZATION_FAILED])

export default class ConsumerGroupsDeleteOffsets extends BaseCommand {
  static override summary = 'Delete the committed offsets of a consumer group for some topics.'
  static override description = `Deletes what GROUP has committed for each --topic (every partition), or for the listed \
partitions only (--topic orders:0,1); repeatable. As with kafka-consumer-groups.sh --delete-offsets, a topic the group \
is consuming right now is refused for each of its partitions (GROUP_SUBSCRIBED_TO_TOPIC): stop the group, or let it \
unsubscribe, first. The group starts such a partition again from its auto.offset.reset position. \
Prints TOPIC PARTITION STATUS (Successful, or why not); any partition that failed makes the exit status 1.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> orders-app --topic retired-topic',
    {description: 'Two partitions only.', command: '<%= config.bin %> <%= command.id %> orders-app --topic orders:0,1'},
  ]

  static override args = {
    group: Args.string({description: 'The group whose offsets to delete.', required: true}),
  }

  static override flags = {
    ...connectionFlags,
    topic: Flags.string({helpValue: 'TOPIC[:P,P..]', summary: 'Topic (and partitions) to delete offsets of; repeatable.', required: true, multiple: true}),
  }

  async run(): Promise<GroupDeleteOffsetsResult> {
    const {args, flags} = await this.parse(ConsumerGroupsDeleteOffsets)
    const scopes = topicScopes(flags.topic)
    const admin = (await this.connect(flags)).admin()
    const results: GroupPartitionResult[] = []
    for (const {topic, partitions} of scopes) {
      try {
        results.push(...await admin.deleteGroupOffsets(args.group, topic, partitions ?? undefined))
      } catch (error) {
        if (error instanceof KafkaProtocolError && error.kafkaCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION && error.subject === `topic ${topic}`) {
          throw topicError({name: topic, errorCode: error.kafkaCode}, `the group has no committed offsets for it either`)
        }
        throw error
      }
      const groupLevel = results.find((r) => GROUP_LEVEL.has(r.errorCode))
      if (groupLevel) throw deleteOffsetsGroupError(args.group, groupLevel.errorCode)
    }
    const table = results.map((r) => [r.topic, String(r.partition), r.errorCode === 0 ? 'Successful' : groupErrorText(r.errorCode)])
    for (const line of formatTable(['TOPIC', 'PARTITION', 'STATUS'], table)) this.log(line)
    const failed = results.filter((r) => r.errorCode !== 0)
    if (failed.length > 0) {
      const first = failed[0]!
      const subscribed = failed.some((r) => r.errorCode === ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC)
      throw new CliError(`could not delete the offsets of ${failed.length} of ${results.length} partitions of group '${args.group}': ` +
        `${first.topic}/${first.partition} ${groupErrorText(first.errorCode)}`, {
        code: 'WEIR_ERR_GROUP_DELETE_OFFSETS',
        hint: subscribed ? `the group is consuming that topic; stop its consumers first (see: weir consumer-groups describe ${args.group} --members)` : undefined,
      })
    }
    return {group: args.group, partitions: deletedOffsetRows(results)}
  }
}
