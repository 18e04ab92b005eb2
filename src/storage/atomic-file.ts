/**
 * Atomic replacement of a small file (topic metadata, the recovery-point checkpoint, the
 * clean-shutdown marker): write `<path>.tmp`, fdatasync it, rename it over `<path>`, fsync the
 * directory. A reader (or a restart after a crash) sees either the old file or the new one,
 * never a mix; a leftover `.tmp` is garbage from an interrupted write.
 */
import {dirname} from 'node:path'
import {type Fs, writeFully} from './fs.js'

export const TEMP_SUFFIX = '.tmp'

export async function writeFileAtomic(fs: Fs, path: string, contents: Buffer): Promise<void> {
  const temp = path + TEMP_SUFFIX
  const fd = fs.open(temp, 'w')
  try {
    writeFully(fs, fd, contents, 0)
    await fs.datasync(fd)
  } finally {
    fs.close(fd)
  }
  fs.rename(temp, path)
  await fs.syncDir(dirname(path))
}

/** Removes `path` if present and makes the removal durable. */
export async function removeFileDurably(fs: Fs, path: string): Promise<void> {
  if (!fs.exists(path)) return
  fs.unlink(path)
  await fs.syncDir(dirname(path))
}
