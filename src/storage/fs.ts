/**
 * Fs: the file operations storage uses, behind an interface so tests can inject faults.
 *
 * Byte-level reads and writes are synchronous (`fs.readSync`/`fs.writeSync`): an append is a
 * page-cache copy that must be done before an acks=1 answer, and the event loop gains nothing
 * from sending a memcpy to the thread pool. Syncs are asynchronous: an fdatasync waits for the
 * disk, so it runs on the libuv pool and the event loop keeps serving other requests.
 */
import * as nodeFs from 'node:fs'
import * as fsp from 'node:fs/promises'
import {promisify} from 'node:util'

/** 'r' read only; 'r+' read/write of an existing file; 'wx+' create a new file (fails if it exists); 'w' create or truncate */
export type OpenFlags = 'r' | 'r+' | 'wx+' | 'w'

export interface DirEntry {name: string; isDirectory: boolean}

export interface Fs {
  open(path: string, flags: OpenFlags): number
  close(fd: number): void
  /** reads up to `length` bytes at file `position` into `buffer` at `offset`; returns the count read */
  read(fd: number, buffer: Buffer, offset: number, length: number, position: number): number
  /** writes up to `length` bytes from `buffer` at `offset` to file `position`; returns the count written */
  write(fd: number, buffer: Buffer, offset: number, length: number, position: number): number
  truncate(fd: number, length: number): void
  size(fd: number): number
  /** the size of the file at `path`, without opening it */
  fileSize(path: string): number
  /** last modification time of a file, ms since the epoch */
  modifiedAt(path: string): number
  /** fdatasync: the file's data (and the size) reach the disk */
  datasync(fd: number): Promise<void>
  /** fsync of a directory, so entries created, renamed or removed in it survive a power loss */
  syncDir(path: string): Promise<void>
  /** mkdir -p with mode 0700 */
  mkdir(path: string): void
  list(path: string): DirEntry[]
  exists(path: string): boolean
  readFile(path: string): Buffer
  rename(from: string, to: string): void
  unlink(path: string): void
  /** rm -rf, asynchronous: a large tree is many unlinks, which must not stall the event loop */
  removeTree(path: string): Promise<void>
}

const fdatasync = promisify(nodeFs.fdatasync)

/** The real file system (node:fs). */
export const nodeFileSystem: Fs = {
  open: (path, flags) => nodeFs.openSync(path, flags, 0o600),
  close: (fd) => nodeFs.closeSync(fd),
  read: (fd, buffer, offset, length, position) => nodeFs.readSync(fd, buffer, offset, length, position),
  write: (fd, buffer, offset, length, position) => nodeFs.writeSync(fd, buffer, offset, length, position),
  truncate: (fd, length) => nodeFs.ftruncateSync(fd, length),
  size: (fd) => nodeFs.fstatSync(fd).size,
  fileSize: (path) => nodeFs.statSync(path).size,
  modifiedAt: (path) => nodeFs.statSync(path).mtimeMs,
  datasync: (fd) => fdatasync(fd),
  async syncDir(path) {
    const handle = await fsp.open(path, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  },
  mkdir: (path) => void nodeFs.mkdirSync(path, {recursive: true, mode: 0o700}),
  list: (path) => nodeFs.readdirSync(path, {withFileTypes: true}).map((e) => ({name: e.name, isDirectory: e.isDirectory()})),
  exists: (path) => nodeFs.existsSync(path),
  readFile: (path) => nodeFs.readFileSync(path),
  rename: (from, to) => nodeFs.renameSync(from, to),
  unlink: (path) => nodeFs.unlinkSync(path),
  removeTree: (path) => fsp.rm(path, {recursive: true, force: true}),
}

/** Writes all of `bytes` at `position`, looping over short writes. */
export function writeFully(fs: Fs, fd: number, bytes: Buffer, position: number): void {
  let done = 0
  while (done < bytes.length) {
    done += fs.write(fd, bytes, done, bytes.length - done, position + done)
  }
}

/** Reads exactly `length` bytes at `position` into a new buffer; shorter only at end of file. */
export function readAt(fs: Fs, fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.allocUnsafe(length)
  let done = 0
  while (done < length) {
    const n = fs.read(fd, buffer, done, length - done, position + done)
    if (n === 0) break
    done += n
  }
  return done === length ? buffer : buffer.subarray(0, done)
}

/**
 * fdatasync of a file no descriptor is held for (a sealed segment's): the kernel flushes the file's
 * dirty pages whichever descriptor wrote them, so a descriptor opened for the call will do.
 */
export async function datasyncPath(fs: Fs, path: string): Promise<void> {
  const fd = fs.open(path, 'r')
  try {
    await fs.datasync(fd)
  } finally {
    fs.close(fd)
  }
}
