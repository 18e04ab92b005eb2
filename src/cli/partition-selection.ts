import type {Admin} from '../client/index.js'
import {UsageError} from './cli-errors.js'
import {topicError} from './topic-errors.js'

/** A topic's partitions, and those a command works on: all of them, or the one --partition names. */
export interface PartitionSelection {
  all: number[]
  selected: number[]
}

/**
 * Looks the topic up: a missing topic is an error in the words of `topics`, a --partition the topic
 * lacks is a usage error (exit 2).
 */
export async function selectPartitions(admin: Pick<Admin, 'describeTopics'>, topic: string, partition: number | undefined): Promise<PartitionSelection> {
  const [description] = await admin.describeTopics([topic])
  if (description!.errorCode !== 0) throw topicError({name: topic, errorCode: description!.errorCode})
  const all = description!.partitions.map((p) => p.partition).sort((a, b) => a - b)
  if (partition !== undefined && !all.includes(partition)) {
    throw new UsageError(`topic ${topic} has no partition ${partition} (it has ${all.length})`)
  }
  return {all, selected: partition === undefined ? all : [partition]}
}
