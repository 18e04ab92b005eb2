// Admin clients as the config and partition interop tests see them: confluent-kafka and
// kafka-python through their driver scripts (/usr/bin/python3), kafkajs in this process; and the
// weir CLI of the build this file was compiled into. Every client's answers are brought to one
// shape (ConfigView, ClientError) so one set of expectations holds for all of them.
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {cliEnvironment, runCli} from '../cli/weir-process.js'
import {repoRoot, run, systemPython} from './drivers.js'
import {kafkajsClient} from './kafkajs-driver.js'

/** A synonym as DescribeConfigs v1+ lists it: name, value, source. */
export type Synonym = [name: string, value: string | null, source: number]

export interface ConfigView {
  value: string | null
  source: number
  readOnly: boolean
  sensitive: boolean
  synonyms: Synonym[]
  /** Only from clients that report it (librdkafka, kafkajs). */
  isDefault?: boolean
}

export type Configs = Record<string, ConfigView>

export interface ClientError {
  code: number
  /** The client's name for the code (librdkafka abbreviates some). */
  name: string
  message: string
}

export type ResourceType = 'topic' | 'broker'

export interface AdminDriver {
  name: string
  /** Whether describe() can leave synonyms out (librdkafka always asks for them). */
  optionalSynonyms: boolean
  /** librdkafka hands synonyms over by name: of two with one name, the client keeps the last. */
  synonymsByName: boolean
  /** Whether the broker's error message reaches the caller (kafkajs keeps only its own text per code). */
  brokerMessages: boolean
  describe(bootstrap: string, type: ResourceType, name: string, synonyms: boolean): Promise<Configs | ClientError>
  /** AlterConfigs; null when the broker accepted it. */
  alter(bootstrap: string, type: ResourceType, name: string, configs: Record<string, string>): Promise<ClientError | null>
  /** CreatePartitions to `count` in all, then the partitions Metadata lists. */
  addPartitions(bootstrap: string, topic: string, count: number): Promise<{error: ClientError | null; partitions: number[]}>
}

const clientScripts = join(repoRoot, 'test/interop/clients')

function python<T>(script: string, args: string[]): T {
  return JSON.parse(run(systemPython, [join(clientScripts, script), ...args]).stdout.toString()) as T
}

type Described = {configs: Configs} | {error: ClientError}

function pythonDriver(name: string, script: string, opts: {optionalSynonyms: boolean; synonymsByName: boolean}): AdminDriver {
  return {
    name,
    ...opts,
    brokerMessages: true,
    async describe(bootstrap, type, resource, synonyms) {
      const args = ['describe', bootstrap, type, resource, ...(opts.optionalSynonyms ? [synonyms ? 'synonyms' : 'plain'] : [])]
      const answer = python<Described>(script, args)
      return 'error' in answer ? answer.error : answer.configs
    },
    async alter(bootstrap, type, resource, configs) {
      return python<{error: ClientError | null}>(script, ['alter', bootstrap, type, resource, JSON.stringify(configs)]).error
    },
    async addPartitions(bootstrap, topic, count) {
      return python(script, ['add-partitions', bootstrap, topic, String(count)])
    },
  }
}

export const confluentAdmin = pythonDriver('confluent-kafka', 'confluent_kafka_configs.py', {optionalSynonyms: false, synonymsByName: true})
export const kafkaPythonAdmin = pythonDriver('kafka-python', 'kafka_python_configs.py', {optionalSynonyms: true, synonymsByName: false})

/** confluent-kafka's AlterConfigs with validate_only. */
export function confluentValidateOnly(bootstrap: string, topic: string, configs: Record<string, string>): ClientError | null {
  return python<{error: ClientError | null}>('confluent_kafka_configs.py',
    ['alter', bootstrap, 'topic', topic, JSON.stringify(configs), 'validate']).error
}

// ---- kafkajs -----------------------------------------------------------------------------

type KafkajsAdmin = ReturnType<ReturnType<typeof kafkajsClient>['admin']>

const KAFKAJS_RESOURCE_TYPES: Record<ResourceType, number> = {topic: 2, broker: 4}

/** Runs `use` with a connected kafkajs admin client. */
export async function withKafkajsAdmin<T>(bootstrap: string, use: (admin: KafkajsAdmin) => Promise<T>): Promise<T> {
  const admin = kafkajsClient(bootstrap).admin()
  await admin.connect()
  try {
    return await use(admin)
  } finally {
    await admin.disconnect()
  }
}

/** kafkajs raises a KafkaJSProtocolError (type = Kafka's name for the code) for a resource's error. */
export function kafkajsError(error: unknown): ClientError {
  const protocolError = error as {code?: number; type?: string; message: string}
  if (protocolError.code === undefined || protocolError.type === undefined) throw error
  return {code: protocolError.code, name: protocolError.type, message: protocolError.message}
}

interface KafkajsConfigEntry {
  configName: string
  configValue: string | null
  readOnly: boolean
  isDefault: boolean
  configSource: number
  isSensitive: boolean
  configSynonyms: {configName: string; configValue: string | null; configSource: number}[]
}

/** kafkajs describeConfigs of one resource, optionally only `configNames`. */
export async function kafkajsDescribe(bootstrap: string, type: ResourceType, name: string, synonyms: boolean,
  configNames?: string[]): Promise<Configs | ClientError> {
  return withKafkajsAdmin(bootstrap, async (admin) => {
    try {
      const answer = await admin.describeConfigs({includeSynonyms: synonyms,
        resources: [{type: KAFKAJS_RESOURCE_TYPES[type], name, ...(configNames ? {configNames} : {})}]})
      const entries = answer.resources[0].configEntries as unknown as KafkajsConfigEntry[]
      return Object.fromEntries(entries.map((entry) => [entry.configName, {
        value: entry.configValue,
        source: entry.configSource,
        readOnly: entry.readOnly,
        sensitive: entry.isSensitive,
        isDefault: entry.isDefault,
        synonyms: entry.configSynonyms.map((s): Synonym => [s.configName, s.configValue, s.configSource]),
      }]))
    } catch (error) {
      return kafkajsError(error)
    }
  })
}

/** kafkajs alterConfigs of one resource. */
export async function kafkajsAlter(bootstrap: string, type: ResourceType, name: string, configs: Record<string, string>,
  validateOnly = false): Promise<ClientError | null> {
  return withKafkajsAdmin(bootstrap, async (admin) => {
    try {
      const configEntries = Object.entries(configs).map(([configName, value]) => ({name: configName, value}))
      await admin.alterConfigs({validateOnly, resources: [{type: KAFKAJS_RESOURCE_TYPES[type], name, configEntries}]})
      return null
    } catch (error) {
      return kafkajsError(error)
    }
  })
}

export const kafkajsAdmin: AdminDriver = {
  name: 'kafkajs',
  optionalSynonyms: true,
  synonymsByName: false,
  brokerMessages: false,
  describe: (bootstrap, type, name, synonyms) => kafkajsDescribe(bootstrap, type, name, synonyms),
  alter: (bootstrap, type, name, configs) => kafkajsAlter(bootstrap, type, name, configs),
  addPartitions: (bootstrap, topic, count) => withKafkajsAdmin(bootstrap, async (admin) => {
    let error: ClientError | null = null
    try {
      await admin.createPartitions({topicPartitions: [{topic, count}]})
    } catch (thrown) {
      error = kafkajsError(thrown)
    }
    const metadata = await admin.fetchTopicMetadata({topics: [topic]})
    return {error, partitions: metadata.topics[0].partitions.map((p) => p.partitionId).sort((a, b) => a - b)}
  }),
}

export const adminDrivers: AdminDriver[] = [confluentAdmin, kafkaPythonAdmin, kafkajsAdmin]

// ---- weir CLI from this build ----------------------------------------------------------------

const weirRunner = join(dirname(fileURLToPath(import.meta.url)), '../cli/weir-from-build.js')
const weirScratch = mkdtempSync(join(tmpdir(), 'weir-interop-configs-'))
const weirEnv = cliEnvironment(weirScratch)
// Several test files share this HOME; it goes when the test process ends.
process.on('exit', () => rmSync(weirScratch, {recursive: true, force: true}))

/** Runs `weir ...` of this build (HOME in a temp directory); fails with its stderr on a non-zero exit. */
export function weirFromBuild(args: string[], input?: string): string {
  const result = runCli(weirRunner, args, weirEnv, input)
  if (result.status !== 0) throw new Error(`weir ${args.join(' ')} exited ${result.status}: ${result.stderr.trim()}`)
  return result.stdout
}

export interface WeirTopicJson {
  name: string
  partitionCount: number
  partitions: {partition: number}[]
  configs: {name: string; value: string; source: string; isDefault: boolean; readOnly: boolean; sensitive: boolean}[]
}

/** `weir topics describe TOPIC --json` over TCP. */
export function weirDescribeTopic(bootstrap: string, topic: string): WeirTopicJson {
  const described = JSON.parse(weirFromBuild(['topics', 'describe', topic, '--json', '--bootstrap-server', bootstrap])) as {topics: WeirTopicJson[]}
  return described.topics[0]
}

/** `weir consume TOPIC --offset OFFSET --exit-at-end --json` over TCP, as [partition, offset, value]. */
export function weirConsumeFrom(bootstrap: string, topic: string, offset: string): [number, number, string][] {
  const output = weirFromBuild(['consume', topic, '--offset', offset, '--exit-at-end', '--json', '-q', '--bootstrap-server', bootstrap])
  return output.split('\n').filter((line) => line !== '').map((line) => {
    const record = JSON.parse(line) as {partition: number; offset: number; value: string}
    return [record.partition, record.offset, record.value]
  })
}

// ---- confluent-kafka: timestamps and offset resets ---------------------------------------------

export interface TimedRecord {
  partition: number
  value: string
  /** CreateTime, epoch ms */
  timestamp: number
}

export interface DeliveredRecord extends TimedRecord {
  offset: number
}

/** Sends each group of records as its own batch(es), in order; the records with their offsets. */
export function confluentProduceTimed(bootstrap: string, topic: string, groups: TimedRecord[][]): DeliveredRecord[] {
  const input = groups.map((group) => JSON.stringify(group)).join('\n') + '\n'
  const output = run(systemPython, [join(clientScripts, 'confluent_kafka_offsets.py'), 'produce-timed', bootstrap, topic], input)
  const offsets = new Map((JSON.parse(output.stdout.toString()) as [number, number, string][])
    .map(([partition, offset, value]) => [`${partition}/${value}`, offset]))
  return groups.flat().map((record) => {
    const offset = offsets.get(`${record.partition}/${record.value}`)
    if (offset === undefined) throw new Error(`no delivery report for ${record.value}`)
    return {...record, offset}
  })
}

export type ResetPolicy = 'earliest' | 'latest' | 'error'

export interface ResetOutcome {
  /** Where librdkafka's fetcher settled (its statistics), null when it never did. */
  fetchingFrom: number | null
  /** [offset, value] of every record read. */
  records: [number, string][]
  error: ClientError | null
}

/**
 * A confluent-kafka consumer assigned to `partition` at `offset` with auto.offset.reset=`policy`:
 * once its fetcher has settled, `append` records "appended-N" are sent; it reads up to the new end.
 */
export function confluentReset(bootstrap: string, topic: string, partition: number, offset: number, policy: ResetPolicy,
  append: number): ResetOutcome {
  const args = ['reset', bootstrap, topic, String(partition), String(offset), policy, String(append)]
  return JSON.parse(run(systemPython, [join(clientScripts, 'confluent_kafka_offsets.py'), ...args]).stdout.toString()) as ResetOutcome
}
