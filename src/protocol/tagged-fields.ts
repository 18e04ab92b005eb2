/**
 * A tagged field this codec does not know (a newer version's optional field). Decoders keep them
 * on the struct they came from, as `unknownTaggedFields`, and encoders write them back, so a
 * message passes through unchanged.
 */
export interface TaggedField {
  tag: number
  data: Buffer
}
