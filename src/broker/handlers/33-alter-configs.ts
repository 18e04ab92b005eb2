/**
 * AlterConfigs (key 33), versions 0-2 (kafkajs sends 0-1; Java uses IncrementalAlterConfigs and
 * falls back to this one).
 *
 * Behaviour per resource, as Kafka: a topic's configs in the request replace its whole set of
 * overrides, so a key left out returns to its default. Unknown topic -> 3, illegal name -> 17, a
 * key given twice -> 42, an unknown key, a null or bad value -> 40 (naming the key), a topic named
 * twice -> 42. ValidateOnly checks everything and changes nothing. A new set is stored and applied
 * to the topic's partitions at once (retention, segment size and time, flush policy). Broker
 * resources are read-only while the daemon runs: -> 42 (an empty change succeeds), an unknown
 * broker key -> 40; see config-alteration.ts.
 *
 * Version notes: v1 same as v0; v2 flexible.
 */
import {ApiKey, type AlterableConfig, type AlterConfigsRequest, type AlterConfigsResponse} from '../../protocol/index.js'
import {alterResources} from '../config-alteration.js'
import type {BrokerContext} from '../context.js'
import {registerHandler} from '../registry.js'

export const alterConfigsHandler = registerHandler({
  apiKey: ApiKey.AlterConfigs,
  name: 'AlterConfigs',
  minVersion: 0,
  maxVersion: 2,
  async handle(request: AlterConfigsRequest, _version: number, ctx: BrokerContext): Promise<AlterConfigsResponse> {
    // The request's configs are the topic's new set of overrides, whatever it had before.
    const responses = await alterResources(request.resources, request.validateOnly, ctx,
      (_current, configs: readonly AlterableConfig[]) => configs.map(({name, value}) => ({name, value})))
    return {throttleTimeMs: 0, responses}
  },
})
