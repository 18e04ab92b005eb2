/**
 * The files that say a daemon is listening: `server.json` (its DaemonInfo) and `weir.pid`. Both are
 * written once the listeners are bound (each atomically, by rename) and removed on graceful
 * shutdown; after a crash they stay behind and readers check the pid is alive.
 *
 * And `corruptions.json` (src/layout/corruptions.ts): what storage found damaged, published by a
 * CorruptionPublisher when the daemon starts and whenever the list changes, for `server status`.
 */
import {readFile, rename, rm, writeFile} from 'node:fs/promises'
import {corruptionsPath, type PublishedCorruption} from '../layout/corruptions.js'
import type {DaemonInfo} from '../layout/daemon-info.js'
import {daemonPaths} from './paths.js'

export type {DaemonInfo} from '../layout/daemon-info.js'

export async function writeDaemonFiles(info: DaemonInfo): Promise<void> {
  const paths = daemonPaths(info.dataDir)
  await writeAtomically(paths.serverInfo, JSON.stringify(info, null, 2) + '\n')
  await writeAtomically(paths.pid, `${info.pid}\n`)
}

/** The recorded DaemonInfo, or null when missing or unreadable (no liveness check here). */
export async function readDaemonInfo(dataDir: string): Promise<DaemonInfo | null> {
  try {
    const parsed = JSON.parse(await readFile(daemonPaths(dataDir).serverInfo, 'utf8')) as unknown
    return isDaemonInfo(parsed) ? parsed : null
  } catch {
    return null
  }
}

export async function removeDaemonFiles(dataDir: string): Promise<void> {
  const paths = daemonPaths(dataDir)
  await rm(paths.serverInfo, {force: true})
  await rm(paths.pid, {force: true})
}

/** How often the publisher looks at storage's list: it is in memory, so a look costs nothing. */
export const CORRUPTION_CHECK_INTERVAL_MS = 1000

/**
 * Keeps `corruptions.json` equal to storage's list of defects: written at start (replacing what
 * an earlier daemon left) and whenever the list changes. A failed write is logged and retried at
 * the next check; it never stops the daemon.
 */
export class CorruptionPublisher {
  private published: string | undefined
  private timer: NodeJS.Timeout | undefined
  private writing: Promise<void> = Promise.resolve()

  constructor(
    private readonly dataDir: string,
    private readonly list: () => PublishedCorruption[],
    private readonly log: (line: string) => void,
  ) {}

  /** Publishes now, then checks every `intervalMs` on an unref'd timer. */
  async start(intervalMs = CORRUPTION_CHECK_INTERVAL_MS): Promise<void> {
    await this.publish()
    this.timer = setInterval(() => void this.publish(), intervalMs)
    this.timer.unref()
  }

  /** Stops checking, after a last check, so what a stopping daemon found is published too. */
  async stop(): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
    await this.publish()
  }

  /** Writes the file when the list differs from what was last written; one write at a time. */
  publish(): Promise<void> {
    this.writing = this.writing.then(async () => {
      const corruptions = this.list().map(({topic, partition, offset, reason}) => ({topic, partition, offset, reason}))
      const text = JSON.stringify(corruptions)
      if (text === this.published) return
      try {
        await writeAtomically(corruptionsPath(this.dataDir), JSON.stringify({updatedAt: Date.now(), corruptions}, null, 2) + '\n')
        this.published = text
        if (corruptions.length > 0) this.log(`${corruptions.length} corrupt batch(es) found so far; listed in ${corruptionsPath(this.dataDir)} and by weir server status`)
      } catch (error) {
        this.log(`cannot publish the corruption list: ${(error as Error).message}`)
      }
    })
    return this.writing
  }
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`
  await writeFile(temp, text, {mode: 0o600})
  await rename(temp, path)
}

function isDaemonInfo(value: unknown): value is DaemonInfo {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return typeof v.pid === 'number' && typeof v.startedAt === 'number' && typeof v.dataDir === 'string' &&
    typeof v.socket === 'string' && (typeof v.tcp === 'string' || v.tcp === null) && typeof v.version === 'string'
}
