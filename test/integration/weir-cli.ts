/**
 * The weir CLI of the build these tests were compiled into (test/cli/weir-from-build.js), run as a
 * user runs it against one test daemon: connection flags appended, HOME in a scratch directory so
 * ~/.weir is never touched. dispose() removes the scratch directory.
 */
import {expect} from 'chai'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {type ProcessResult, cliEnvironment, runCli} from '../cli/weir-process.js'
import {type TestDaemon} from '../helpers/daemon.js'

const runner = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'weir-from-build.js')

export class WeirCli {
  private readonly scratch = mkdtempSync(join(tmpdir(), 'weir-integ-cli-'))
  private readonly env = cliEnvironment(this.scratch)

  constructor(private readonly daemon: TestDaemon) {}

  /** `weir ARGS --socket <daemon's socket>`, to its end. */
  run(args: string[], input?: string): ProcessResult {
    return runCli(runner, [...args, '--socket', this.daemon.socket], this.env, input)
  }

  /** `weir topics create TOPIC` with one partition and the given topic configs; fails the test if refused. */
  createTopic(topic: string, configs: Record<string, string>): void {
    const flags = Object.entries(configs).flatMap(([key, value]) => ['--config', `${key}=${value}`])
    const created = this.run(['topics', 'create', topic, '--partitions', '1', ...flags])
    expect(created.status, created.stderr).to.equal(0)
  }

  /** `weir server ARGS --data-dir <daemon's data dir>` (server commands find the daemon by its directory). */
  server(args: string[]): ProcessResult {
    return runCli(runner, ['server', ...args, '--data-dir', this.daemon.dataDir], this.env)
  }

  dispose(): void {
    rmSync(this.scratch, {recursive: true, force: true})
  }
}
