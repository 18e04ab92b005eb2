import {Args} from '@oclif/core'

import {BaseCommand, connectionFlags} from '../../src/cli/base-command.js'
import {CliError} from '../../src/cli/cli-errors.js'
import {type TransactionDescribeResult, describeLines, describeResult} from '../../src/cli/transaction-format.js'
import {KafkaProtocolError} from '../../src/client/errors.js'
import {ErrorCode} from '../../src/protocol/index.js'

export default class TransactionsDescribe extends BaseCommand {
  static override summary = 'Show the state of a transactional id.'
  static override description = `Asks the transactional id's coordinator and prints, as kafka-transactions.sh describe does, \
one row: COORDINATOR (broker id), TRANSACTIONAL-ID, PRODUCER-ID, EPOCH, STATE, TIMEOUT-MS (the producer's \
transaction.timeout.ms), START-TIME (when the open transaction began, UTC), DURATION-MS (how long it has been open) and \
PARTITIONS (those the open transaction wrote to, as topic-partition); - where there is no open transaction. An unknown \
id is an error. With --json, prints {"transactionalId","coordinator","producerId","producerEpoch","state","timeoutMs",\
"startTimeMs","durationMs","partitions":[{"topic","partition"}]}, null where the table shows -.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> orders-loader',
    {description: 'The partitions of the open transaction, for a script.',
      command: '<%= config.bin %> <%= command.id %> orders-loader --json | jq -r \'.partitions[] | "\\(.topic)/\\(.partition)"\''},
  ]

  static override args = {
    id: Args.string({description: 'Transactional id (the producer\'s transactional.id).', required: true}),
  }

  static override flags = {...connectionFlags}

  async run(): Promise<TransactionDescribeResult> {
    const {args, flags} = await this.parse(TransactionsDescribe)
    const admin = (await this.connect(flags)).admin()
    const [description] = await admin.describeTransactions([args.id])
    if (description!.errorCode === ErrorCode.TRANSACTIONAL_ID_NOT_FOUND) {
      throw new CliError(`transactional id '${args.id}' does not exist`, {code: 'WEIR_ERR_UNKNOWN_TRANSACTIONAL_ID',
        hint: 'list them with: weir transactions list'})
    }
    if (description!.errorCode !== ErrorCode.NONE) throw new KafkaProtocolError(description!.errorCode, `transactional id ${args.id}`)
    const result = describeResult(description!, Date.now())
    for (const line of describeLines(result)) this.log(line)
    return result
  }
}
