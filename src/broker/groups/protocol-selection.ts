/**
 * Which protocol (assignor) a group uses: among the protocols every member offers, each member
 * votes for its first choice and the one with most votes wins (Kafka's GroupMetadata.selectProtocol).
 * A tie goes to the candidate voted for first, in member join order, so the choice is stable.
 */
import type {GroupMember, MemberProtocol} from './group-member.js'

/** The protocol names every one of `members` offers. */
export function candidateProtocols(members: readonly GroupMember[]): Set<string> {
  if (members.length === 0) return new Set()
  const [first, ...others] = members
  return new Set(first.protocols.map(p => p.name).filter(name => others.every(m => m.protocols.some(p => p.name === name))))
}

/** The protocol the group will use; undefined when the members share none (or there are none). */
export function selectProtocol(members: readonly GroupMember[]): string | undefined {
  const candidates = candidateProtocols(members)
  const votes = new Map<string, number>()
  for (const member of members) {
    const choice = member.vote(candidates)
    if (choice !== undefined) votes.set(choice, (votes.get(choice) ?? 0) + 1)
  }
  let winner: string | undefined
  for (const [name, count] of votes) if (winner === undefined || count > votes.get(winner)!) winner = name
  return winner
}

/**
 * True when a member of `protocolType` offering `protocols` may join: into a group without members
 * it needs a protocol type and at least one protocol; otherwise the same type and at least one
 * protocol every current member offers (Kafka's supportsProtocols).
 */
export function supportsProtocols(groupProtocolType: string | null, members: readonly GroupMember[],
  protocolType: string, protocols: readonly MemberProtocol[]): boolean {
  if (members.length === 0) return protocolType !== '' && protocols.length > 0
  if (groupProtocolType !== protocolType) return false
  const shared = candidateProtocols(members)
  return protocols.some(p => shared.has(p.name))
}
