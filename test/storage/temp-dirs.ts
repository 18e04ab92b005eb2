// Test helper: temporary directories under os.tmpdir(), removed after each test.
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

/** Call at the top of a describe(); returns a function that makes a fresh directory for the current test. */
export function useTempDirs(): () => string {
  const made: string[] = []
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, {recursive: true, force: true})
  })
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'weir-storage-'))
    made.push(dir)
    return dir
  }
}
