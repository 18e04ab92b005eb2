/**
 * DeleteTopics (key 20), versions 1-6 (kafkajs sends 1, Java 6; AK 4.0 starts at 1).
 *
 * Behaviour: v1-5 name topics; v6 names each by name or, when the name is null, by TopicId.
 * Unknown name -> 3, unknown id -> 100, a topic named twice in one request -> 42, an internal topic
 * (__consumer_offsets: the group coordinator's) -> 42. Deletion removes
 * the topic's storage at once; pending long-poll fetches are woken so they answer (with 3) instead
 * of waiting on partitions that are gone.
 *
 * Version notes: v1 ThrottleTimeMs; v4 flexible; v5 ErrorMessage; v6 Topics[{Name, TopicId}]
 * replaces TopicNames and the answer carries TopicId.
 */
import {ApiKey, ErrorCode, ZERO_UUID, type DeletableTopicResult, type DeleteTopicsRequest,
  type DeleteTopicsResponse} from '../../protocol/index.js'
import type {TopicMetadata} from '../../storage/index.js'
import type {BrokerContext} from '../context.js'
import {registerHandler} from '../registry.js'
import {isInternalTopic} from '../topic-names.js'

const FIRST_BY_ID_VERSION = 6

/** A topic as the request names it: by name, or by id when the name is null. */
interface TopicRef {
  name: string | null
  topicId: string
}

export const deleteTopicsHandler = registerHandler({
  apiKey: ApiKey.DeleteTopics,
  name: 'DeleteTopics',
  minVersion: 1,
  maxVersion: 6,
  async handle(request: DeleteTopicsRequest, version: number, ctx: BrokerContext): Promise<DeleteTopicsResponse> {
    const refs: TopicRef[] = version >= FIRST_BY_ID_VERSION
      ? request.topics.map(t => ({name: t.name, topicId: t.topicId}))
      : request.topicNames.map(name => ({name, topicId: ZERO_UUID}))
    const keys = refs.map(ref => ref.name ?? `id:${ref.topicId}`)
    const responses: DeletableTopicResult[] = []
    for (const [i, ref] of refs.entries()) {
      const repeated = keys.indexOf(keys[i]) !== keys.lastIndexOf(keys[i])
      responses.push(repeated
        ? result(ref, ErrorCode.INVALID_REQUEST, 'topic is named more than once in the request')
        : await deleteTopic(ref, ctx))
    }
    return {throttleTimeMs: 0, responses}
  },
})

async function deleteTopic(ref: TopicRef, ctx: BrokerContext): Promise<DeletableTopicResult> {
  const meta: TopicMetadata | undefined = ref.name === null ? ctx.logs.topicById(ref.topicId) : ctx.logs.topic(ref.name)
  if (meta === undefined) {
    return ref.name === null
      ? result(ref, ErrorCode.UNKNOWN_TOPIC_ID, `no topic has id ${ref.topicId}`)
      : result(ref, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic ${ref.name} does not exist`)
  }
  if (isInternalTopic(meta.name)) {
    return result({name: meta.name, topicId: meta.topicId}, ErrorCode.INVALID_REQUEST, `${meta.name} is an internal topic: the broker manages it`)
  }
  try {
    await ctx.logs.deleteTopic(meta.name)
  } catch (error) {
    ctx.log(`deleting topic ${meta.name} failed: ${(error as Error).stack ?? String(error)}`)
    return result({name: meta.name, topicId: meta.topicId}, ErrorCode.UNKNOWN_SERVER_ERROR, `deletion failed: ${(error as Error).message}`)
  }
  ctx.log(`deleted topic ${meta.name}`)
  ctx.wake.wake()
  return result({name: meta.name, topicId: meta.topicId}, 0, null)
}

function result(ref: TopicRef, errorCode: number, errorMessage: string | null): DeletableTopicResult {
  return {name: ref.name, topicId: ref.topicId, errorCode, errorMessage}
}
