// README.md's first command, run verbatim as a new user would: on a fresh copy of the
// repository, with HOME and npm's global prefix in a temporary directory, so the daemon
// uses that HOME's ~/.weir and nothing of the real user's is touched. The daemon listens on
// a free port (WEIR_LISTEN) rather than 9092, which tests never take.
import {expect} from 'chai'
import {execFileSync, spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {repoRoot} from '../interop/drivers.js'

function readmeBlock(tag: string): string {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8')
  const match = readme.match(new RegExp('```sh ' + tag + '\\n([\\s\\S]*?)\\n```'))
  if (!match) throw new Error(`README.md has no \`\`\`sh ${tag} block`)
  return match[1]
}

/** The repository's files as a fresh clone would have them (tracked plus new, not ignored). */
function copyCheckout(into: string): void {
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], {cwd: repoRoot})
  const archive = execFileSync('tar', ['-c', '--null', '-T', '-', '-f', '-'], {cwd: repoRoot, input: files, maxBuffer: 1 << 30})
  execFileSync('tar', ['-x', '-f', '-'], {cwd: into, input: archive})
}

function killDaemonOf(home: string): void {
  const pidFile = join(home, '.weir', 'weir.pid')
  if (!existsSync(pidFile)) return
  const pid = Number(readFileSync(pidFile, 'utf8').trim())
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    // already gone
  }
}

describe('README quickstart', function () {
  this.timeout(600_000)
  const root = mkdtempSync(join(tmpdir(), 'weir-readme-'))
  const home = join(root, 'home')
  const checkout = join(root, 'weir')
  const prefix = join(root, 'npm-global')
  const env = {
    ...process.env,
    HOME: home,
    npm_config_prefix: prefix,
    // keep npm's download cache: the test is about our commands, not the network
    npm_config_cache: process.env.npm_config_cache ?? join(process.env.HOME ?? '/root', '.npm'),
    PATH: `${join(prefix, 'bin')}:${process.env.PATH}`,
    WEIR_LISTEN: '127.0.0.1:0',
    WEIR_HOME: '',
    WEIR_BOOTSTRAP_SERVER: '',
  }

  before(() => {
    mkdirSync(home)
    mkdirSync(checkout)
    copyCheckout(checkout)
  })

  after(() => {
    spawnSync('weir', ['server', 'stop'], {cwd: checkout, env, timeout: 30_000})
    killDaemonOf(home)
    rmSync(root, {recursive: true, force: true})
  })

  it('installs, starts the daemon on ~/.weir, produces and consumes the record', () => {
    const result = spawnSync('bash', ['-euo', 'pipefail', '-c', readmeBlock('quickstart')], {cwd: checkout, env, timeout: 540_000})
    const stdout = result.stdout.toString()
    expect(result.status, `quickstart failed:\n${result.stderr.toString().slice(-3000)}`).to.equal(0)
    expect(stdout.trim().split('\n').at(-1)).to.equal('hello, weir')
    expect(existsSync(join(home, '.weir', 'quickstart-0'))).to.equal(true)
  })
})
