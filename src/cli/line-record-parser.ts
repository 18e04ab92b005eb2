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

/**
 * Sets `into`'s key and value to views of `line` (never copies) and returns it; a caller that
 * parses many lines passes one object for all. `lineNumber` (1-based) only names the line in errors.
 */
export function parseLineRecord(line: Buffer, lineNumber: number, opts: LineRecordOptions,
  into: LineRecord = {key: null, value: null}): LineRecord {
  if (opts.keySeparator === null) {
    into.key = null
    into.value = nullable(line, opts.nullMarker)
    return into
  }
  const at = line.indexOf(opts.keySeparator)
  if (at === -1) {
    if (!opts.ignoreError) {
      throw new InputError(`no key separator ${JSON.stringify(opts.keySeparator.toString('latin1'))} on line ${lineNumber}; ` +
        'pass --property ignore.error=true to send such lines without a key')
    }
    into.key = null
    into.value = nullable(line, opts.nullMarker)
    return into
  }
  into.key = nullable(line.subarray(0, at), opts.nullMarker)
  into.value = nullable(line.subarray(at + opts.keySeparator.length), opts.nullMarker)
  return into
}

function nullable(field: Buffer, marker: Buffer | null): Buffer | null {
  return marker !== null && field.equals(marker) ? null : field
}
