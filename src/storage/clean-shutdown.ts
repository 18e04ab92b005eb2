/**
 * The clean-shutdown marker, `<dataDir>/clean-shutdown`: an empty file written last by a close
 * that flushed every log and wrote the recovery-point checkpoint, and removed by the next open
 * once the logs are loaded. Present at open = nothing after the recovery points can be torn, so
 * the logs are not scanned; absent = the process stopped without closing (kill -9, crash, power
 * loss) and recovery scans every log from its recovery point.
 */
import {join} from 'node:path'
import {removeFileDurably, writeFileAtomic} from './atomic-file.js'
import {type Fs} from './fs.js'

export const CLEAN_SHUTDOWN_FILE = 'clean-shutdown'

export function hadCleanShutdown(fs: Fs, dataDir: string): boolean {
  return fs.exists(join(dataDir, CLEAN_SHUTDOWN_FILE))
}

export async function markCleanShutdown(fs: Fs, dataDir: string): Promise<void> {
  await writeFileAtomic(fs, join(dataDir, CLEAN_SHUTDOWN_FILE), Buffer.alloc(0))
}

export async function clearCleanShutdown(fs: Fs, dataDir: string): Promise<void> {
  await removeFileDurably(fs, join(dataDir, CLEAN_SHUTDOWN_FILE))
}
