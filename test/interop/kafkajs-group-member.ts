/**
 * One kafkajs 2.2.4 member of a consumer group, as its own process, for the group interop tests:
 * `node kafkajs-group-member.js BOOTSTRAP GROUP TOPIC SESSION_MS`. It speaks like
 * clients/group_member.py: JSON lines on stdout ("assigned", "record", "closed"), a clean close
 * (commit + LeaveGroup) when stdin ends, and a SIGKILL is a crash. Every record is committed right
 * after it is printed (autoCommitThreshold 1), so what it printed is what it committed.
 */
import {createRequire} from 'node:module'

const require = createRequire(import.meta.url)
// kafkajs is CommonJS with its own typings.
const kafkajs = require('kafkajs') as typeof import('kafkajs')

const HEARTBEAT_MS = 500

function emit(event: object): void {
  process.stdout.write(JSON.stringify(event) + '\n')
}

async function main(): Promise<void> {
  const [bootstrap, groupId, topic, sessionMs] = process.argv.slice(2)
  if (bootstrap === undefined || groupId === undefined || topic === undefined || sessionMs === undefined) {
    throw new Error('usage: kafkajs-group-member BOOTSTRAP GROUP TOPIC SESSION_MS')
  }
  const kafka = new kafkajs.Kafka({clientId: 'kafkajs-member', brokers: [bootstrap], logLevel: kafkajs.logLevel.NOTHING})
  const consumer = kafka.consumer({groupId, sessionTimeout: Number(sessionMs), heartbeatInterval: HEARTBEAT_MS})
  consumer.on(consumer.events.GROUP_JOIN, ({payload}) => {
    const partitions = payload.memberAssignment[topic] ?? []
    emit({event: 'assigned', partitions: [...partitions].sort((a, b) => a - b)})
  })
  consumer.on(consumer.events.CRASH, ({payload}) => {
    process.stderr.write(`kafkajs consumer crashed: ${payload.error.message}\n`)
    process.exit(1)
  })
  await consumer.connect()
  await consumer.subscribe({topic, fromBeginning: true})
  await consumer.run({
    autoCommitThreshold: 1,
    eachMessage: async ({partition, message}) => {
      emit({event: 'record', partition, offset: Number(message.offset), value: message.value?.toString() ?? null})
    },
  })
  process.stdin.resume()
  process.stdin.on('end', () => {
    consumer.disconnect().then(() => {
      emit({event: 'closed'})
      process.exit(0)
    }, (error: Error) => {
      process.stderr.write(`kafkajs disconnect failed: ${error.message}\n`)
      process.exit(1)
    })
  })
}

main().catch((error: Error) => {
  process.stderr.write(`kafkajs member failed: ${error.stack ?? error.message}\n`)
  process.exit(1)
})
