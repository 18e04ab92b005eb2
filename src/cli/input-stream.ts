import {createReadStream, fstatSync} from 'node:fs'
import {open} from 'node:fs/promises'
import type {Readable} from 'node:stream'

import {CliError} from './cli-errors.js'

/** Reads of a regular file: few thread-pool round trips, still a small part of memory. */
const FILE_READ_BYTES = 1024 * 1024

/**
 * The byte stream produce reads: `file` when given, else standard input. A regular file, standard
 * input redirected from one included (`< file`), is read in 1 MiB pieces, since process.stdin reads
 * a file 64 KiB at a time with a thread-pool round trip each. Pipes and terminals stay with
 * process.stdin (reading a pipe through the thread pool is slower than the event loop's own reads).
 */
export async function openInput(file: string | undefined): Promise<Readable> {
  if (file !== undefined) return openFile(file)
  if (!stdinIsFile()) return process.stdin
  // autoClose off: descriptor 0 belongs to the process, not to this stream.
  return createReadStream('', {fd: 0, autoClose: false, highWaterMark: FILE_READ_BYTES})
}

/** --file, checked before anything is sent: a missing or unreadable file is one clear line. */
async function openFile(file: string): Promise<Readable> {
  try {
    const handle = await open(file)
    if ((await handle.stat()).isDirectory()) {
      await handle.close()
      throw Object.assign(new Error('is a directory'), {code: 'EISDIR'})
    }
    return handle.createReadStream({highWaterMark: FILE_READ_BYTES})
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message
    throw new CliError(`cannot read ${file}: ${reason}`, {code: 'WEIR_ERR_INPUT_FILE'})
  }
}

function stdinIsFile(): boolean {
  try {
    return fstatSync(0).isFile()
  } catch {
    return false // no standard input at all: process.stdin reports that as it always has
  }
}
