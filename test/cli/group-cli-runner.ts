/**
 * Runs the CLI of this build as a child process without blocking this process's event loop, for
 * tests whose other side lives in this process (the fake cluster, a kafkajs group member that must
 * keep heartbeating).
 */
import {spawn} from 'node:child_process'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import type {ProcessResult} from './weir-process.js'

export const runner = join(dirname(fileURLToPath(import.meta.url)), 'weir-from-build.js')

export function runCliAsync(args: string[], env: NodeJS.ProcessEnv): Promise<ProcessResult> {
  const child = spawn(process.execPath, [runner, ...args], {env, stdio: ['ignore', 'pipe', 'pipe']})
  const out: Buffer[] = []
  const err: Buffer[] = []
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (status) => {
      const stdoutBytes = Buffer.concat(out)
      resolve({status, stdout: stdoutBytes.toString(), stderr: Buffer.concat(err).toString(), stdoutBytes})
    })
  })
}
