import {BaseCommand} from './base-command.js'

/**
 * A command whose stdin or stdout is a stream of records (produce, consume). Its `--json`
 * selects the record format instead of oclif's result document, and its errors never go to
 * stdout, so a pipe into another command cannot take an error for a record.
 */
export abstract class RecordStreamCommand extends BaseCommand {
  static override enableJsonFlag = false
  static override streamsRecords = true
}
