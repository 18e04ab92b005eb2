import type {Reader} from './reader.js'
import type {Writer} from './writer.js'

/** A reader/writer pair for one type at one version, built once from the schema. */
export interface Codec<T> {
  read(r: Reader): T
  write(w: Writer, value: T): void
}
