// The balancing half of Kafka's sticky assignors (AbstractStickyAssignor): every member keeps the
// partitions it owned as far as balance allows, and the rest go where they even the counts out.
//
// - When every member subscribes to the same topics (Kafka's "constrained" case) each member ends
//   with floor(P/C) or ceil(P/C) partitions: a member keeps at most that many of its own, only
//   P % C members keep the larger count, and the partitions freed or never owned go, in topic and
//   partition order, to whichever member has fewest (ties in member order).
// - Otherwise each partition can only go to members subscribed to its topic: owned partitions are
//   kept, the rest go to the eligible member with fewest, then partitions move from a member to an
//   eligible one with at least two fewer until no such move is left (each move lowers the sum of
//   squared counts, so this ends). Partitions handed out last move first, so owned ones stay.
import {compareMembers, partitionId, type MemberSubscription} from './assignor.js'

export interface TopicPartition {
  topic: string
  partition: number
}

/**
 * Balanced, sticky assignment. `owned` holds each member's valid previous partitions (already
 * checked against generations and double claims); members are walked in Java's order.
 */
export function stickyBalance(members: readonly MemberSubscription[], partitionCounts: ReadonlyMap<string, number>,
  owned: ReadonlyMap<string, readonly TopicPartition[]>): Map<string, TopicPartition[]> {
  const ordered = [...members].sort(compareMembers)
  const all = allPartitions(ordered, partitionCounts)
  const subscribed = new Map(ordered.map((member) => [member.memberId, new Set(member.topics)]))
  const assignment = new Map<string, TopicPartition[]>(ordered.map((member) => [member.memberId, []]))
  const taken = new Set<string>()
  const keep = (memberId: string, tp: TopicPartition): void => {
    assignment.get(memberId)!.push(tp)
    taken.add(partitionId(tp.topic, tp.partition))
  }

  const identical = sameSubscriptions(ordered)
  const minQuota = ordered.length === 0 ? 0 : Math.floor(all.length / ordered.length)
  let extraSlots = ordered.length === 0 ? 0 : all.length % ordered.length
  const exists = new Set(all.map((tp) => partitionId(tp.topic, tp.partition)))
  for (const member of ordered) {
    const mine = (owned.get(member.memberId) ?? [])
      .filter((tp) => subscribed.get(member.memberId)!.has(tp.topic) && exists.has(partitionId(tp.topic, tp.partition)))
      .filter((tp) => !taken.has(partitionId(tp.topic, tp.partition)))
    let limit = mine.length
    if (identical) {
      limit = Math.min(mine.length, minQuota)
      if (mine.length > minQuota && extraSlots > 0) {
        limit = minQuota + 1
        extraSlots--
      }
    }
    for (const tp of mine.slice(0, limit)) keep(member.memberId, tp)
  }

  for (const tp of all) {
    if (taken.has(partitionId(tp.topic, tp.partition))) continue
    const eligible = ordered.filter((member) => subscribed.get(member.memberId)!.has(tp.topic))
    if (eligible.length === 0) continue
    let best = eligible[0]!
    for (const member of eligible) if (assignment.get(member.memberId)!.length < assignment.get(best.memberId)!.length) best = member
    keep(best.memberId, tp)
  }

  if (!identical) evenOut(ordered, subscribed, assignment)
  return assignment
}

/** Every partition of every subscribed topic that exists, by topic name then partition. */
function allPartitions(members: readonly MemberSubscription[], partitionCounts: ReadonlyMap<string, number>): TopicPartition[] {
  const topics = [...new Set(members.flatMap((member) => member.topics))].filter((topic) => partitionCounts.has(topic)).sort()
  return topics.flatMap((topic) => Array.from({length: partitionCounts.get(topic)!}, (_, partition) => ({topic, partition})))
}

function sameSubscriptions(members: readonly MemberSubscription[]): boolean {
  const first = members[0] ? [...new Set(members[0].topics)].sort().join('\u0000') : ''
  return members.every((member) => [...new Set(member.topics)].sort().join('\u0000') === first)
}

/** Moves partitions from fuller members to eligible emptier ones while a move narrows the gap. */
function evenOut(ordered: readonly MemberSubscription[], subscribed: ReadonlyMap<string, ReadonlySet<string>>,
  assignment: Map<string, TopicPartition[]>): void {
  for (;;) {
    const move = findMove(ordered, subscribed, assignment)
    if (!move) return
    const from = assignment.get(move.from)!
    const [tp] = from.splice(move.index, 1)
    assignment.get(move.to)!.push(tp!)
  }
}

function findMove(ordered: readonly MemberSubscription[], subscribed: ReadonlyMap<string, ReadonlySet<string>>,
  assignment: ReadonlyMap<string, TopicPartition[]>): {from: string; index: number; to: string} | null {
  const byCount = [...ordered].sort((a, b) => assignment.get(b.memberId)!.length - assignment.get(a.memberId)!.length)
  for (const fuller of byCount) {
    const theirs = assignment.get(fuller.memberId)!
    for (let index = theirs.length - 1; index >= 0; index--) {
      const topic = theirs[index]!.topic
      let target: MemberSubscription | null = null
      for (const member of ordered) {
        if (!subscribed.get(member.memberId)!.has(topic)) continue
        if (assignment.get(member.memberId)!.length + 1 >= theirs.length) continue
        if (!target || assignment.get(member.memberId)!.length < assignment.get(target.memberId)!.length) target = member
      }
      if (target) return {from: fuller.memberId, index, to: target.memberId}
    }
  }
  return null
}
