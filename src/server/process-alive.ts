import {readFile} from 'node:fs/promises'

/**
 * Whether a process id names a live process, by sending signal 0. EPERM means it exists but
 * belongs to another user: alive. Zombies count as alive until their parent reaps them.
 */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Reads a file holding a decimal pid; null when missing or not a pid. */
export async function readPidFile(path: string): Promise<number | null> {
  try {
    const pid = Number.parseInt((await readFile(path, 'utf8')).trim(), 10)
    return Number.isInteger(pid) && pid > 0 ? pid : null
  } catch {
    return null
  }
}
