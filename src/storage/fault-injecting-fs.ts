/**
 * FaultInjectingFs: an Fs that passes every call to another one (the real file system by
 * default) and injects the failures storage must survive, for tests of this layer and of the
 * layers above it:
 *
 * - failNextSync(): the next fdatasync or directory fsync fails (EIO) without syncing;
 * - tearNextWrite(n): the next write lands only its first n bytes, then fails (ENOSPC);
 * - crashAfterBytes(n): after n more bytes are written the process "dies" mid-write: the write
 *   lands partly, every descriptor opened through this Fs is closed, and every later call throws
 *   SimulatedCrashError. What was written stays in the files, as after a kill -9;
 * - crash(): the same, now;
 * - failNextOpenOf(suffix): the next open of a path ending in `suffix` fails (EMFILE) without opening.
 *
 * It also counts bytes read and written, syncs, and the descriptors open through it (now and at
 * most at once), so tests can see what a code path touched without timing it.
 */
import {type DirEntry, type Fs, nodeFileSystem, type OpenFlags} from './fs.js'

export class SimulatedCrashError extends Error {
  constructor() {
    super('simulated crash: the process is gone')
    this.name = 'SimulatedCrashError'
  }
}

export interface FsStats {
  bytesRead: number
  bytesWritten: number
  syncs: number
  openDescriptors: number
  peakOpenDescriptors: number
}

export class FaultInjectingFs implements Fs {
  readonly stats: FsStats = {bytesRead: 0, bytesWritten: 0, syncs: 0, openDescriptors: 0, peakOpenDescriptors: 0}
  private readonly syncFailures: Error[] = []
  private readonly openFailures: {pathSuffix: string; error: Error}[] = []
  private tornWrite: {keepBytes: number; error: Error} | undefined
  private bytesUntilCrash: number | undefined
  private crashed = false
  private readonly openDescriptors = new Set<number>()

  constructor(private readonly inner: Fs = nodeFileSystem) {}

  failNextSync(error: Error = injectedError('EIO', 'fsync')): void {
    this.syncFailures.push(error)
  }

  tearNextWrite(keepBytes: number, error: Error = injectedError('ENOSPC', 'write')): void {
    this.tornWrite = {keepBytes, error}
  }

  failNextOpenOf(pathSuffix: string, error: Error = injectedError('EMFILE', 'open')): void {
    this.openFailures.push({pathSuffix, error})
  }

  crashAfterBytes(bytes: number): void {
    this.bytesUntilCrash = bytes
  }

  crash(): void {
    this.crashed = true
    for (const fd of this.openDescriptors) this.inner.close(fd)
    this.openDescriptors.clear()
    this.stats.openDescriptors = 0
  }

  get hasCrashed(): boolean {
    return this.crashed
  }

  open(path: string, flags: OpenFlags): number {
    this.throwIfCrashed()
    const failure = this.openFailures.findIndex((f) => path.endsWith(f.pathSuffix))
    if (failure >= 0) throw (this.openFailures.splice(failure, 1)[0] as {error: Error}).error
    const fd = this.inner.open(path, flags)
    this.openDescriptors.add(fd)
    this.countDescriptors()
    return fd
  }

  close(fd: number): void {
    this.throwIfCrashed()
    this.openDescriptors.delete(fd)
    this.countDescriptors()
    this.inner.close(fd)
  }

  read(fd: number, buffer: Buffer, offset: number, length: number, position: number): number {
    this.throwIfCrashed()
    const n = this.inner.read(fd, buffer, offset, length, position)
    this.stats.bytesRead += n
    return n
  }

  write(fd: number, buffer: Buffer, offset: number, length: number, position: number): number {
    this.throwIfCrashed()
    const torn = this.tornWrite
    if (torn) {
      this.tornWrite = undefined
      this.writePart(fd, buffer, offset, Math.min(torn.keepBytes, length), position)
      throw torn.error
    }
    if (this.bytesUntilCrash !== undefined) {
      if (length >= this.bytesUntilCrash) {
        this.writePart(fd, buffer, offset, this.bytesUntilCrash, position)
        this.crash()
        throw new SimulatedCrashError()
      }
      this.bytesUntilCrash -= length
    }
    const n = this.inner.write(fd, buffer, offset, length, position)
    this.stats.bytesWritten += n
    return n
  }

  truncate(fd: number, length: number): void {
    this.throwIfCrashed()
    this.inner.truncate(fd, length)
  }

  size(fd: number): number {
    this.throwIfCrashed()
    return this.inner.size(fd)
  }

  fileSize(path: string): number {
    this.throwIfCrashed()
    return this.inner.fileSize(path)
  }

  modifiedAt(path: string): number {
    this.throwIfCrashed()
    return this.inner.modifiedAt(path)
  }

  async datasync(fd: number): Promise<void> {
    this.beforeSync()
    await this.inner.datasync(fd)
  }

  async syncDir(path: string): Promise<void> {
    this.beforeSync()
    await this.inner.syncDir(path)
  }

  mkdir(path: string): void {
    this.throwIfCrashed()
    this.inner.mkdir(path)
  }

  list(path: string): DirEntry[] {
    this.throwIfCrashed()
    return this.inner.list(path)
  }

  exists(path: string): boolean {
    this.throwIfCrashed()
    return this.inner.exists(path)
  }

  readFile(path: string): Buffer {
    this.throwIfCrashed()
    const bytes = this.inner.readFile(path)
    this.stats.bytesRead += bytes.length
    return bytes
  }

  rename(from: string, to: string): void {
    this.throwIfCrashed()
    this.inner.rename(from, to)
  }

  unlink(path: string): void {
    this.throwIfCrashed()
    this.inner.unlink(path)
  }

  async removeTree(path: string): Promise<void> {
    this.throwIfCrashed()
    await this.inner.removeTree(path)
  }

  private writePart(fd: number, buffer: Buffer, offset: number, length: number, position: number): void {
    let done = 0
    while (done < length) done += this.inner.write(fd, buffer, offset + done, length - done, position + done)
    this.stats.bytesWritten += done
  }

  private countDescriptors(): void {
    this.stats.openDescriptors = this.openDescriptors.size
    this.stats.peakOpenDescriptors = Math.max(this.stats.peakOpenDescriptors, this.openDescriptors.size)
  }

  /** Throws synchronously inside the async callers, so the failure arrives as a rejected promise. */
  private beforeSync(): void {
    this.throwIfCrashed()
    this.stats.syncs++
    const failure = this.syncFailures.shift()
    if (failure) throw failure
  }

  private throwIfCrashed(): void {
    if (this.crashed) throw new SimulatedCrashError()
  }
}

function injectedError(code: string, syscall: string): Error {
  return Object.assign(new Error(`${code}: injected ${syscall} failure`), {code, syscall})
}
