import type {CorruptionsRecord, PublishedCorruption} from '../layout/corruptions.js'
import type {DaemonInfo} from '../layout/daemon-info.js'
import {formatDuration} from './duration.js'
import {formatKeyValues} from './table.js'

/** Aligned `key: value` lines saying where a daemon is and how to reach it. */
export function daemonLines(info: DaemonInfo): string[] {
  return formatKeyValues([
    ['pid', String(info.pid)],
    ['version', info.version],
    ['data dir', info.dataDir],
    ['socket', info.socket],
    ['tcp', info.tcp ?? 'off'],
  ])
}

/**
 * `server status`: the daemon lines plus uptime, topics (names, or why they are unknown) and the
 * count of corrupt batches storage found (null: the daemon published no list), each then on a
 * line of its own (corruptionLines).
 */
export function statusLines(info: DaemonInfo, now: number, topics: readonly string[] | {error: string}, corruptions: CorruptionsRecord | null = null): string[] {
  const topicText = Array.isArray(topics)
    ? `${topics.length}${topics.length > 0 ? ` (${topics.join(', ')})` : ''}`
    : `unknown: ${(topics as {error: string}).error}`
  return formatKeyValues([
    ['status', 'running'],
    ['pid', String(info.pid)],
    ['uptime', formatDuration(now - info.startedAt)],
    ['version', info.version],
    ['data dir', info.dataDir],
    ['socket', info.socket],
    ['tcp', info.tcp ?? 'off'],
    ['topics', topicText],
    ['corrupt', corruptionCount(corruptions)],
  ]).concat(corruptionLines(corruptions?.corruptions ?? []))
}

function corruptionCount(record: CorruptionsRecord | null): string {
  if (record === null) return 'unknown: the daemon published no list'
  const count = record.corruptions.length
  return count === 0 ? 'none found' : `${count} batch${count === 1 ? '' : 'es'} not served (details in server.log)`
}

/** One line per defect: where (topic-partition and offset) and why. */
export function corruptionLines(corruptions: readonly PublishedCorruption[]): string[] {
  return corruptions.map((c) => `CORRUPT ${c.topic}-${c.partition} at offset ${c.offset}: ${c.reason}`)
}
