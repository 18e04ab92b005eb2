import {Flags} from '@oclif/core'

import {BaseCommand, connectionFlags} from '../../src/cli/base-command.js'
import {deliveryError} from '../../src/cli/topic-errors.js'
import {type ProducersDescribeResult, producersLines, producersResult} from '../../src/cli/transaction-format.js'
import {KafkaProtocolError} from '../../src/client/errors.js'

export default class TransactionsDescribeProducers extends BaseCommand {
  static override summary = 'Show the active producers of a partition.'
  static override description = `Asks the partition's leader for the producers it keeps state for (idempotent and \
transactional producers that wrote to it recently) and prints, as kafka-transactions.sh describe-producers does: \
PRODUCER-ID, EPOCH, LATEST-COORDINATOR-EPOCH (of the last transaction marker), LAST-SEQUENCE, LAST-TIMESTAMP (UTC) and \
CURRENT-TRANSACTION-START-OFFSET (first offset of the producer's open transaction in the partition, - without one). \
Nothing is printed when the partition has no active producer. With --json, prints {"topic","partition","producers":\
[{"producerId","producerEpoch","latestCoordinatorEpoch","lastSequence","lastTimestampMs","currentTransactionStartOffset"}]}, \
null where the table shows -.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --topic orders --partition 0',
  ]

  static override flags = {
    ...connectionFlags,
    topic: Flags.string({helpValue: 'TOPIC', summary: 'Topic of the partition.', required: true}),
    partition: Flags.integer({helpValue: 'N', char: 'p', summary: 'Partition to describe.', required: true, min: 0}),
  }

  async run(): Promise<ProducersDescribeResult> {
    const {flags} = await this.parse(TransactionsDescribeProducers)
    const admin = (await this.connect(flags)).admin()
    let described
    try {
      described = await admin.describeProducers(flags.topic, [flags.partition])
    } catch (error) {
      throw deliveryError(error, flags.topic)
    }
    const partition = described.find((p) => p.partition === flags.partition)!
    if (partition.errorCode !== 0) throw new KafkaProtocolError(partition.errorCode, `${flags.topic}/${flags.partition}`, partition.errorMessage)
    const result = producersResult(partition)
    for (const line of producersLines(result)) this.log(line)
    return result
  }
}
