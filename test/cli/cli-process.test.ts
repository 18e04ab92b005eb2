/**
 * The real `weir` command as a user runs it (node bin/run.js, which needs the build: dist/ and
 * oclif.manifest.json): the error contract (one line, exit 1 or 2, JSON errors) and a session
 * against a daemon the commands start and stop themselves, on a temp data directory and a free
 * port. HOME is a temp directory too, so ~/.weir is never touched.
 */
import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {type ProcessResult, cliEnvironment, expectOneErrorLine, runCli} from './weir-process.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const run = join(root, 'bin', 'run.js')
const scratch = mkdtempSync(join(tmpdir(), 'weir-cli-'))
const env = cliEnvironment(scratch)

function weir(args: string[], input?: string | Buffer): ProcessResult {
  return runCli(run, args, env, input)
}

describe('weir as a process', function () {
  this.timeout(120_000)
  const empty = join(scratch, 'empty')

  before(() => {
    for (const needed of ['dist/commands', 'dist/src/server/main.js', 'oclif.manifest.json']) {
      if (!existsSync(join(root, needed))) throw new Error(`${needed} is missing: build first (npm run build)`)
    }
  })

  after(() => rmSync(scratch, {recursive: true, force: true}))

  describe('error contract', () => {
    it('an unknown flag is a usage error: exit 2, one line', () => {
      const line = expectOneErrorLine(weir(['topics', 'list', '--bogus']), 2)
      expect(line).to.include('--bogus')
    })

    it('a missing argument is a usage error naming it', () => {
      expect(expectOneErrorLine(weir(['topics', 'create']), 2)).to.include('TOPIC')
    })

    it('no server running: exit 1, one line saying how to start it for that data dir', () => {
      const line = expectOneErrorLine(weir(['topics', 'list', '--data-dir', empty]), 1)
      expect(line).to.include(`weir server start --data-dir ${empty}`)
    })

    it('with --json, the failure is one JSON error object on stdout', () => {
      const result = weir(['topics', 'list', '--json', '--data-dir', empty])
      expect(result.status).to.equal(1)
      expect(JSON.parse(result.stdout)).to.deep.include({error: {
        code: 'WEIR_ERR_NOT_RUNNING',
        message: `the Weir server is not running (no socket at ${join(empty, 'weir.sock')})`,
        hint: `start it with: weir server start --data-dir ${empty}`,
        exit: 1,
      }})
    })

    it('with --json, a usage error keeps exit status 2', () => {
      const result = weir(['topics', 'create', 'x', '--partitions', '0', '--json', '--data-dir', empty])
      expect(result.status).to.equal(2)
      expect(JSON.parse(result.stdout).error.code).to.equal('WEIR_ERR_USAGE')
    })

    it('produce and consume keep --json errors off stdout, where records go', () => {
      const result = weir(['produce', 't', '--json', '--data-dir', empty], '{"value":"x"}\n')
      expect(result.status).to.equal(1)
      expect(result.stdout).to.equal('')
      expect(JSON.parse(result.stderr).error.code).to.equal('WEIR_ERR_NOT_RUNNING')
    })

    it('server status and server stop say when nothing runs, exit 1', () => {
      expect(expectOneErrorLine(weir(['server', 'status', '--data-dir', empty]), 1)).to.include('weir server start --data-dir')
      expect(expectOneErrorLine(weir(['server', 'stop', '--data-dir', empty]), 1)).to.include('no Weir server is running')
    })

    it('topics delete without a terminal and without --yes refuses: exit 2', () => {
      expect(expectOneErrorLine(weir(['topics', 'delete', 'orders', '--data-dir', empty]), 2)).to.include('--yes')
    })

    it('consume rejects an unknown --format token before connecting: exit 2', () => {
      expect(expectOneErrorLine(weir(['consume', 'orders', '--format', '%x', '--data-dir', empty]), 2)).to.include('%x')
    })
  })

  describe('a session against a daemon', () => {
    const dataDir = join(scratch, 'data')
    const at = ['--data-dir', dataDir]
    let pid = 0

    before(() => {
      const result = weir(['server', 'start', '--port', '0', '--json', ...at])
      expect(result.status, result.stderr).to.equal(0)
      pid = JSON.parse(result.stdout).pid
    })

    after(() => {
      weir(['server', 'stop', ...at])
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // stopped already, as it should be
      }
    })

    it('server start refuses a second daemon on the same data dir, naming the pid', () => {
      expect(expectOneErrorLine(weir(['server', 'start', '--port', '0', ...at]), 1)).to.include(`pid ${pid}`)
      expect(expectOneErrorLine(weir(['server', 'start', '--foreground', '--port', '0', ...at]), 1)).to.include(`pid ${pid}`)
    })

    it('server status shows the daemon; --json adds uptime and topics', () => {
      const human = weir(['server', 'status', ...at])
      expect(human.status).to.equal(0)
      expect(human.stdout).to.match(new RegExp(`^pid: +${pid}$`, 'm'))
      const json = JSON.parse(weir(['server', 'status', '--json', ...at]).stdout)
      expect(json).to.include({pid, dataDir, running: true})
      expect(json.uptimeMs).to.be.a('number')
      expect(json.topics).to.be.an('array')
      expect(json.tcp).to.match(/^127\.0\.0\.1:\d+$/)
    })

    it('creates, lists and describes topics in Kafka\'s layouts', () => {
      expect(weir(['topics', 'create', 'orders', '--partitions', '3', ...at]).stdout).to.equal('Created topic orders.\n')
      expect(expectOneErrorLine(weir(['topics', 'create', 'orders', '--partitions', '3', ...at]), 1)).to.include('--if-not-exists')
      expect(weir(['topics', 'create', 'orders', '--if-not-exists', ...at]).status).to.equal(0)
      expect(weir(['topics', 'list', ...at]).stdout.split('\n')).to.include('orders')
      const lines = weir(['topics', 'describe', 'orders', ...at]).stdout.trimEnd().split('\n')
      expect(lines[0]).to.match(/^Topic: orders\tTopicId: \S+\tPartitionCount: 3\tReplicationFactor: 1/)
      expect(lines.slice(1)).to.deep.equal([0, 1, 2].map((p) => `\tTopic: orders\tPartition: ${p}\tLeader: 1\tReplicas: 1\tIsr: 1`))
      const json = JSON.parse(weir(['topics', 'describe', 'orders', '--json', ...at]).stdout)
      expect(json.topics[0]).to.include({name: 'orders', partitionCount: 3, replicationFactor: 1})
    })

    it('produces lines with keys and consumes them back with a kcat format', () => {
      const produced = weir(['produce', 'keyed', '--key-separator', ':', ...at], 'a:1\nb:2\r\n:3\n')
      expect(produced.status, produced.stderr).to.equal(0)
      expect(produced.stderr).to.equal('Produced 3 records to keyed.\n')
      const consumed = weir(['consume', 'keyed', '--from-beginning', '--exit-at-end', '--format', '%k=%s|%S\\n', ...at])
      expect(consumed.status, consumed.stderr).to.equal(0)
      expect(consumed.stdout).to.equal('a=1|1\nb=2\r|2\n=3|1\n')
      expect(consumed.stderr).to.equal('Processed a total of 3 messages\n')
    })

    it('starts an --offset outside the log at its nearest end, with a warning', () => {
      weir(['produce', 'clamped', '--partition', '0', '-q', ...at], 'r0\nr1\nr2\n')
      const beyond = weir(['consume', 'clamped', '--offset', '100', '--exit-at-end', ...at])
      expect(beyond.status, beyond.stderr).to.equal(0)
      expect(beyond.stdout).to.equal('')
      expect(beyond.stderr).to.include('Warning: clamped/0 has log start offset 0 and log end offset 3; reading from 3 instead of 100.')
      const inside = weir(['consume', 'clamped', '--offset', '1', '--exit-at-end', ...at])
      expect(inside.stdout).to.equal('r1\nr2\n')
      expect(inside.stderr).to.not.include('Warning')
    })

    it('stops after --max-messages and reads Kafka\'s --property spelling', () => {
      weir(['produce', 'props', '--property', 'parse.key=true', '--property', 'key.separator=:', '-q', ...at], 'k1:v1\nk2:v2\n')
      const consumed = weir(['consume', 'props', '--from-beginning', '--max-messages', '1', '--property', 'print.key=true', ...at])
      expect(consumed.status).to.equal(0)
      expect(consumed.stdout).to.equal('k1\tv1\n')
    })

    it('copies binary records exactly through consume --json | produce --json', () => {
      const input = [
        {key: '/w==', keyEncoding: 'base64', value: null, headers: [{key: 'h', value: 'gA==', valueEncoding: 'base64'}, {key: 'n', value: null}]},
        {key: null, value: 'héllo\nworld', timestamp: 1234, headers: []},
        {key: 'k', value: '', headers: []},
      ].map((record) => JSON.stringify(record)).join('\n') + '\n'
      expect(weir(['produce', 'bin', '--json', '--partition', '0', '-q', ...at], input).status).to.equal(0)
      const original = weir(['consume', 'bin', '--from-beginning', '--exit-at-end', '--json', '-q', ...at])
      expect(original.status).to.equal(0)
      expect(weir(['produce', 'bin-copy', '--json', '-q', ...at], original.stdoutBytes).status).to.equal(0)
      const copy = weir(['consume', 'bin-copy', '--from-beginning', '--exit-at-end', '--json', '-q', ...at])
      const strip = (text: string): object[] => text.trimEnd().split('\n').map((line) => {
        const {topic: _topic, ...rest} = JSON.parse(line)
        return rest
      })
      expect(strip(copy.stdout)).to.deep.equal(strip(original.stdout))
      expect(strip(original.stdout)[1]).to.include({value: 'héllo\nworld', timestamp: 1234})
      const raw = weir(['consume', 'bin-copy', '--from-beginning', '--exit-at-end', '--format', '%k|%s|%h\\n', '-q', ...at])
      expect(raw.stdoutBytes.subarray(0, 2)).to.deep.equal(Buffer.from([0xff, 0x7c]))
    })

    it('ends quietly with exit 0 when the reader of its output goes away', async () => {
      weir(['produce', 'piped', '-q', ...at], 'a\nb\nc\nd\n')
      const child = spawn(process.execPath, [run, 'consume', 'piped', '--from-beginning', ...at], {env})
      let stderr = ''
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString()
      })
      let seen = ''
      await new Promise<void>((resolve) => {
        child.stdout.on('data', (chunk: Buffer) => {
          seen += chunk.toString()
          if (seen.split('\n').length > 3) resolve()
        })
      })
      child.stdout.destroy()
      // New records make the consumer write to the closed pipe.
      weir(['produce', 'piped', '-q', ...at], 'e\nf\n')
      const [code] = await new Promise<[number | null]>((resolve) => child.once('exit', (exitCode) => resolve([exitCode])))
      expect(code).to.equal(0)
      expect(stderr).to.not.match(/\bat .+:\d+:\d+/)
      expect(stderr).to.not.include('EPIPE')
      expect(stderr, 'no count of records the reader may never have taken').to.equal('')
    })

    it('deletes a topic with --yes, after which it is gone', () => {
      expect(weir(['topics', 'delete', 'keyed', '--yes', ...at]).stdout).to.equal('Deleted topic keyed.\n')
      expect(expectOneErrorLine(weir(['topics', 'describe', 'keyed', ...at]), 1)).to.include("'keyed' does not exist")
      expect(weir(['topics', 'delete', 'keyed', '--yes', '--if-exists', ...at]).status).to.equal(0)
    })

    it('server stop stops it and waits for the exit', () => {
      const stopped = weir(['server', 'stop', ...at])
      expect(stopped.status, stopped.stderr).to.equal(0)
      expect(stopped.stdout).to.equal(`Weir stopped (pid ${pid}).\n`)
      expect(() => process.kill(pid, 0)).to.throw()
      expect(existsSync(join(dataDir, 'weir.pid'))).to.equal(false)
      expect(weir(['server', 'status', ...at]).status).to.equal(1)
    })
  })
})

