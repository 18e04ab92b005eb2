import {array, field, message, type MessageValue} from '../schema.js'

// OffsetDelete (47). One version, never flexible. Deletes a group's committed offsets for some
// partitions; a topic the live group is subscribed to answers GROUP_SUBSCRIBED_TO_TOPIC. The
// top-level ErrorCode comes before ThrottleTimeMs, unlike every other response.

export const OffsetDeleteRequestSchema = message('OffsetDeleteRequest', {apiKey: 47, versions: '0', flexible: 'none'}, {
  groupId: field('string', '0+'),
  topics: array('OffsetDeleteRequestTopic', '0+', {
    name: field('string', '0+'),
    partitions: array('OffsetDeleteRequestPartition', '0+', {
      partitionIndex: field('int32', '0+'),
    }),
  }),
})

export const OffsetDeleteResponseSchema = message('OffsetDeleteResponse', {apiKey: 47, versions: '0', flexible: 'none'}, {
  errorCode: field('int16', '0+'),
  throttleTimeMs: field('int32', '0+'),
  topics: array('OffsetDeleteResponseTopic', '0+', {
    name: field('string', '0+'),
    partitions: array('OffsetDeleteResponsePartition', '0+', {
      partitionIndex: field('int32', '0+'),
      errorCode: field('int16', '0+'),
    }),
  }),
})

export type OffsetDeleteRequest = MessageValue<typeof OffsetDeleteRequestSchema>
export type OffsetDeleteRequestTopic = OffsetDeleteRequest['topics'][number]
export type OffsetDeleteRequestPartition = OffsetDeleteRequestTopic['partitions'][number]
export type OffsetDeleteResponse = MessageValue<typeof OffsetDeleteResponseSchema>
export type OffsetDeleteResponseTopic = OffsetDeleteResponse['topics'][number]
export type OffsetDeleteResponsePartition = OffsetDeleteResponseTopic['partitions'][number]
