import {Flags} from '@oclif/core'

import {BaseCommand, connectionFlags} from '../../src/cli/base-command.js'
import {type TransactionListEntry, listEntries, listLines} from '../../src/cli/transaction-format.js'
import {TRANSACTION_STATES, parseTransactionStates} from '../../src/cli/transaction-states.js'

export default class TransactionsList extends BaseCommand {
  static override summary = 'List transactional ids.'
  static override description = `Prints every transactional id the brokers coordinate, sorted, as kafka-transactions.sh list does: \
TRANSACTIONAL-ID COORDINATOR PRODUCER-ID STATE. STATE is Kafka's transaction state (${TRANSACTION_STATES.join(', ')}): \
Ongoing while a transaction is open, CompleteCommit or CompleteAbort after it ended, Empty before the first. \
--state keeps the ids in the given states (any case), repeatable or comma-separated. Every broker is asked, since \
each lists only the ids it coordinates. With --json, prints [{"transactionalId","coordinator","producerId","state"}].`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    {description: 'Transactions open right now.', command: '<%= config.bin %> <%= command.id %> --state ongoing'},
  ]

  static override flags = {
    ...connectionFlags,
    state: Flags.string({helpValue: 'STATE', summary: 'Only ids in this state (repeatable, or STATE,STATE).', multiple: true, delimiter: ','}),
  }

  async run(): Promise<TransactionListEntry[]> {
    const {flags} = await this.parse(TransactionsList)
    const states = parseTransactionStates(flags.state ?? [])
    const admin = (await this.connect(flags)).admin()
    const entries = listEntries(await admin.listTransactions({states}))
    for (const line of listLines(entries)) this.log(line)
    return entries
  }
}
