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

/** `server status`: the daemon lines plus uptime and topics (names, or why they are unknown). */
export function statusLines(info: DaemonInfo, now: number, topics: readonly string[] | {error: string}): string[] {
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
  ])
}
