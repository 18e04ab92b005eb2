/**
 * Running `weir` as a user does, for process-level tests: an environment that keeps the user's
 * settings out (HOME in a scratch directory, so ~/.weir is never touched), a synchronous run that
 * captures the output, and the error contract every failure must keep.
 */
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {join} from 'node:path'

export interface ProcessResult {
  status: number | null
  stdout: string
  stderr: string
  stdoutBytes: Buffer
}

/** The test process's environment with HOME under `scratch` and no weir or colour settings. */
export function cliEnvironment(scratch: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {...process.env, HOME: join(scratch, 'home'), WEIR_HOME: '', WEIR_BOOTSTRAP_SERVER: '', WEIR_LISTEN: ''}
  delete env.FORCE_COLOR
  delete env.WEIR_DEBUG
  return env
}

/** Runs `node entry ...args` to its end. */
export function runCli(entry: string, args: string[], env: NodeJS.ProcessEnv, input?: string | Buffer): ProcessResult {
  const result = spawnSync(process.execPath, [entry, ...args], {env, input, timeout: 60_000, maxBuffer: 1 << 28})
  return {status: result.status, stdout: result.stdout.toString(), stderr: result.stderr.toString(), stdoutBytes: result.stdout}
}

/** The error contract: exactly one line on stderr, "Error: ...", and nothing on stdout. */
export function expectOneErrorLine(result: ProcessResult, exit: number): string {
  expect(result.status, result.stderr).to.equal(exit)
  expect(result.stdout).to.equal('')
  const lines = result.stderr.split('\n').filter((line) => line !== '')
  expect(lines, result.stderr).to.have.length(1)
  expect(lines[0]).to.match(/^Error: /)
  return lines[0]!
}
