import {InputError} from './cli-errors.js'

/** How a text line becomes a record's key and value (Kafka's LineMessageReader rules). */
export interface LineRecordOptions {
  /** Split key from value at the first occurrence; null = the whole line is the value. */
  keySeparator: Buffer | null
  /** A line without the separator becomes a keyless record instead of an error. */
  ignoreError: boolean
  /** A key or value equal to this marker becomes null (a tombstone for values). */
  nullMarker: Buffer | null
}

export interface LineRecord {
  key: Buffer | null
  value: Buffer | null
}

/** Returns views of `line`; never copies. `lineNumber` (1-based) only names the line in errors. */
export function parseLineRecord(line: Buffer, lineNumber: number, opts: LineRecordOptions): LineRecord {
  if (opts.keySeparator === null) return {key: null, value: nullable(line, opts.nullMarker)}
  const at = line.indexOf(opts.keySeparator)
  if (at === -1) {
    if (opts.ignoreError) return {key: null, value: nullable(line, opts.nullMarker)}
    throw new InputError(`no key separator ${JSON.stringify(opts.keySeparator.toString('latin1'))} on line ${lineNumber}; ` +
      'pass --property ignore.error=true to send such lines without a key')
  }
  return {
    key: nullable(line.subarray(0, at), opts.nullMarker),
    value: nullable(line.subarray(at + opts.keySeparator.length), opts.nullMarker),
  }
}

function nullable(field: Buffer, marker: Buffer | null): Buffer | null {
  return marker !== null && field.equals(marker) ? null : field
}
