import {type TopicScope, parseTopicScope} from './offset-reset-scope.js'

/**
 * `--topic` values (`orders`, `orders:0,2`; repeatable) merged per topic in the order first named:
 * `--topic t:0 --topic t:1` is `t:0,1`, and a whole topic takes in its listed partitions.
 */
export function topicScopes(values: readonly string[]): TopicScope[] {
  const merged = new Map<string, Set<number> | null>()
  for (const {topic, partitions} of values.map(parseTopicScope)) {
    const known = merged.get(topic)
    if (known === null) continue
    merged.set(topic, partitions === null ? null : new Set([...(known ?? []), ...partitions]))
  }
  return [...merged].map(([topic, partitions]) => ({topic, partitions: partitions === null ? null : [...partitions].sort((a, b) => a - b)}))
}
