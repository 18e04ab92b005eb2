import {InputError} from './cli-errors.js'
import type {PlannedOffset} from './offset-reset-plan.js'
import type {TopicPartition} from './offset-reset-scope.js'

/**
 * The reset plan as CSV, in kafka-consumer-groups' --export format, which --from-file reads back:
 * no header, `topic,partition,offset` per line when one group was named, `group,topic,partition,offset`
 * otherwise. A field holding a comma, a quote or a line break is quoted, quotes doubled (RFC 4180).
 */

/** One line of a reset file: where a group's offset for a partition goes. */
export interface RequestedOffset extends TopicPartition {
  offset: number
}

export function formatResetCsv(offsets: readonly PlannedOffset[], withGroup: boolean): string[] {
  return offsets.map(({group, topic, partition, offset}) =>
    [...(withGroup ? [group] : []), topic, String(partition), String(offset)].map(csvField).join(','))
}

function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}

/**
 * The offsets a reset file asks for, by group. As in Kafka, the three-column form is read only when
 * exactly one group was named (`singleGroup`) and the first line has three fields; otherwise every line
 * must name its group. Blank lines are skipped; a later line for the same partition wins. `source`
 * names the file in errors.
 */
export function parseResetCsv(text: string, singleGroup: string | null, source: string): Map<string, RequestedOffset[]> {
  const lines = text.split(/\r?\n/).map((line, index) => ({line, number: index + 1})).filter(({line}) => line.trim() !== '')
  const threeColumns = singleGroup !== null && lines.length > 0 && csvFields(lines[0]!.line)?.length === 3
  const byGroup = new Map<string, Map<string, RequestedOffset>>()
  for (const {line, number} of lines) {
    const where = `${source} line ${number}`
    const fields = csvFields(line)
    const expected = threeColumns ? 3 : 4
    if (fields === null || fields.length !== expected) {
      throw new InputError(`${where}: expected ${threeColumns ? 'topic,partition,offset' : 'group,topic,partition,offset'}, got '${line}'`)
    }
    const [group, topic, partition, offset] = threeColumns ? [singleGroup!, ...fields] : fields
    if (topic!.trim() === '') throw new InputError(`${where}: the topic is empty`)
    const row = {topic: topic!.trim(), partition: wholeNumber(partition!, 'partition', where), offset: wholeNumber(offset!, 'offset', where)}
    const rows = byGroup.get(group!) ?? new Map<string, RequestedOffset>()
    rows.set(`${row.topic}/${row.partition}`, row)
    byGroup.set(group!, rows)
  }
  return new Map([...byGroup].map(([group, rows]) => [group, [...rows.values()]]))
}

function wholeNumber(text: string, what: string, where: string): number {
  const value = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN
  if (!Number.isSafeInteger(value)) throw new InputError(`${where}: the ${what} must be a whole number, 0 or more, got '${text}'`)
  return value
}

/** The fields of one CSV line; null when a quoted field is not closed or text follows its closing quote. */
export function csvFields(line: string): string[] | null {
  const fields: string[] = []
  let at = 0
  for (;;) {
    if (line[at] === '"') {
      let value = ''
      let index = at + 1
      for (;;) {
        const quote = line.indexOf('"', index)
        if (quote === -1) return null
        value += line.slice(index, quote)
        if (line[quote + 1] !== '"') {
          index = quote + 1
          break
        }
        value += '"'
        index = quote + 2
      }
      fields.push(value)
      if (index === line.length) return fields
      if (line[index] !== ',') return null
      at = index + 1
    } else {
      const comma = line.indexOf(',', at)
      fields.push(comma === -1 ? line.slice(at) : line.slice(at, comma))
      if (comma === -1) return fields
      at = comma + 1
    }
  }
}

/**
 * Every group named with --group must have lines in the file (Kafka: "No reset plan for group");
 * with --all-groups, groups the file does not mention are left alone.
 */
export function checkFileNamesGroups(offsets: ReadonlyMap<string, RequestedOffset[]>, named: readonly string[], source: string): void {
  const missing = named.find((group) => !offsets.has(group))
  if (missing !== undefined) {
    throw new InputError(`${source} has no offsets for group '${missing}'` +
      (offsets.size > 0 ? ` (it has ${[...offsets.keys()].map((group) => `'${group}'`).join(', ')})` : ''))
  }
}
