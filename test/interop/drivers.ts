// Drivers that make real Kafka clients write and read records against a Weir daemon.
// Each runs the client as its own process (kcat, /usr/bin/python3 scripts, the weir CLI)
// or in this process (kafkajs), and speaks in TestRecord / ReadRecord terms.
import {spawnSync} from 'node:child_process'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {type Header, type ReadRecord, type TestRecord, fromDriverOutput, toDriverLine} from './records.js'

const here = dirname(fileURLToPath(import.meta.url))
/** The repository root, from dist/test/interop or .build-x/test/interop alike. */
export const repoRoot = resolve(here, '../../..')
const clientScripts = join(repoRoot, 'test/interop/clients')
/** Debian's Kafka bindings install for the system interpreter only. */
export const systemPython = '/usr/bin/python3'

export type Codec = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd'
export const codecs: Codec[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd']

interface RunResult {
  stdout: Buffer
  stderr: string
}

/** Runs a command to completion; a non-zero exit fails with the command's own stderr. */
export function run(command: string, args: string[], input?: Buffer | string, env?: NodeJS.ProcessEnv): RunResult {
  const result = spawnSync(command, args, {input, env: env ?? process.env, timeout: 90_000, maxBuffer: 512 * 1024 * 1024})
  if (result.error) throw result.error
  const stderr = result.stderr.toString()
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status ?? result.signal}: ${stderr.trim().slice(-2000)}`)
  }
  return {stdout: result.stdout, stderr}
}

// ---- Python clients --------------------------------------------------------------------

export type PythonClient = 'kafka_python' | 'confluent_kafka'

export function pythonProduce(client: PythonClient, bootstrap: string, topic: string, codec: Codec, records: TestRecord[]): void {
  const input = records.map((record) => toDriverLine(record)).join('\n') + '\n'
  run(systemPython, [join(clientScripts, `${client}_client.py`), 'produce', bootstrap, topic, codec], input)
}

export function pythonConsume(client: PythonClient, bootstrap: string, counts: Record<string, number>): ReadRecord[] {
  const {stdout} = run(systemPython, [join(clientScripts, `${client}_client.py`), 'consume', bootstrap, JSON.stringify(counts)])
  return fromDriverOutput(stdout.toString())
}

// ---- kcat --------------------------------------------------------------------------------

/** kcat -P from lines: with a key delimiter when the records have keys, one fixed header. */
export function kcatProduce(bootstrap: string, topic: string, codec: Codec, records: TestRecord[], keyed: boolean): void {
  const header = records[0]?.headers[0]
  const args = ['-P', '-b', bootstrap, '-t', topic, '-p', '0', '-z', codec === 'none' ? 'none' : codec]
  if (header) args.push('-H', `${header[0]}=${header[1]?.toString() ?? ''}`)
  if (keyed) args.push('-K', '|')
  const lines = records.map((record) => (keyed ? `${record.key?.toString()}|${record.value?.toString()}` : `${record.value?.toString()}`))
  run('kcat', args, lines.join('\n') + '\n')
}

// A record terminator no test payload contains, so %h (raw header bytes) can close a record.
const KCAT_END = '\x1e\x1d\x1c'
const KCAT_FORMAT = '%t\\t%p\\t%o\\t%K\\t%S\\t%k%s%h\\x1e\\x1d\\x1c'

/**
 * kcat -C -e with a format whose key and value lengths make the output binary-safe.
 * kcat prints headers as `name=value,...`; we return them as one header holding that text,
 * so callers compare with kcatHeaderText().
 */
export function kcatConsume(bootstrap: string, topic: string, extraArgs: string[] = ['-o', 'beginning']): ReadRecord[] {
  const {stdout} = run('kcat', ['-C', '-b', bootstrap, '-t', topic, '-e', '-q', ...extraArgs, '-f', KCAT_FORMAT])
  const records: ReadRecord[] = []
  let pos = 0
  while (pos < stdout.length) {
    const fields: string[] = []
    for (let i = 0; i < 5; i++) {
      const tab = stdout.indexOf(9, pos)
      fields.push(stdout.subarray(pos, tab).toString())
      pos = tab + 1
    }
    const [recordTopic, partition, offset, keyLength, valueLength] = fields
    const take = (length: number): Buffer | null => {
      if (length < 0) return null
      const data = stdout.subarray(pos, pos + length)
      pos += length
      return Buffer.from(data)
    }
    const key = take(Number(keyLength))
    const value = take(Number(valueLength))
    const end = stdout.indexOf(KCAT_END, pos)
    const headerText = stdout.subarray(pos, end)
    pos = end + KCAT_END.length
    records.push({
      topic: recordTopic,
      partition: Number(partition),
      offset: Number(offset),
      key,
      value,
      headers: headerText.length === 0 ? [] : [['kcat-headers', Buffer.from(headerText)]],
    })
  }
  return records
}

/**
 * What kcat's %h prints for a record's headers, as the single header kcatConsume returns.
 * kcat prints each header value as a C string (it ends at the value's first NUL byte) and a
 * null value as `NULL`.
 */
export function kcatHeaderView(record: TestRecord): TestRecord {
  if (record.headers.length === 0) return record
  const asCString = (value: Buffer | null) => {
    if (value === null) return Buffer.from('NULL')
    const nul = value.indexOf(0)
    return nul === -1 ? value : value.subarray(0, nul)
  }
  const parts = record.headers.map(([name, value]) => Buffer.concat([Buffer.from(`${name}=`), asCString(value)]))
  const joined: Buffer[] = []
  parts.forEach((part, i) => joined.push(...(i === 0 ? [part] : [Buffer.from(','), part])))
  return {...record, headers: [['kcat-headers', Buffer.concat(joined)]]}
}

// ---- weir CLI ------------------------------------------------------------------------------

const weirBin = join(repoRoot, 'bin/run.js')

/** Runs `weir ...` with the given connection arguments; returns stdout. */
export function weir(args: string[], input?: Buffer | string): Buffer {
  return run(process.execPath, [weirBin, ...args], input).stdout
}

interface WeirJsonRecord {
  topic: string
  partition: number
  offset: number
  key: string | null
  value: string | null
  keyEncoding?: 'base64'
  valueEncoding?: 'base64'
  headers: {key: string; value: string | null; valueEncoding?: 'base64'}[]
}

function decodeWeirPayload(text: string | null, encoding: 'base64' | undefined): Buffer | null {
  if (text === null) return null
  return encoding === 'base64' ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8')
}

/** The `weir produce --json` line for a record, every payload given as base64. */
export function toWeirJsonLine(record: TestRecord): string {
  const b64 = (data: Buffer | null) => (data === null ? null : data.toString('base64'))
  return JSON.stringify({
    partition: 0,
    key: b64(record.key),
    keyEncoding: 'base64',
    value: b64(record.value),
    valueEncoding: 'base64',
    headers: record.headers.map(([key, value]) => ({key, value: b64(value), valueEncoding: 'base64'})),
  })
}

export function fromWeirJsonOutput(output: Buffer): ReadRecord[] {
  return output
    .toString()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const parsed = JSON.parse(line) as WeirJsonRecord
      return {
        topic: parsed.topic,
        partition: parsed.partition,
        offset: parsed.offset,
        key: decodeWeirPayload(parsed.key, parsed.keyEncoding),
        value: decodeWeirPayload(parsed.value, parsed.valueEncoding),
        headers: parsed.headers.map((h): Header => [h.key, decodeWeirPayload(h.value, h.valueEncoding)]),
      }
    })
}

export function weirConsume(connection: string[], topic: string): ReadRecord[] {
  return fromWeirJsonOutput(weir(['consume', topic, '--from-beginning', '--exit-at-end', '--json', ...connection]))
}
