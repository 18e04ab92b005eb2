// Test helper: runs a child process that prints one line per append, hands each line to the
// caller, and kills it with SIGKILL once the caller has seen enough.
import {expect} from 'chai'
import {type ChildProcess, spawn} from 'node:child_process'

/** Call at the top of a describe(): a function that runs `script` with `args` until `onLine` returns true, then kill -9s it. */
export function useKilledChildren(): (script: string, args: string[], onLine: (line: string) => boolean) => Promise<void> {
  let child: ChildProcess | undefined
  afterEach(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    child = undefined
  })
  return async (script, args, onLine) => {
    const running = spawn(process.execPath, [script, ...args], {stdio: ['ignore', 'pipe', 'pipe']})
    child = running
    let stderr = ''
    running.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    let pending = ''
    running.stdout?.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n')
      pending = lines.pop() as string
      if (lines.map(onLine).some(Boolean)) running.kill('SIGKILL')
    })
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => running.on('exit', (_code, sig) => resolve(sig)))
    expect(signal, `child ended by itself: ${stderr}`).to.equal('SIGKILL')
  }
}
