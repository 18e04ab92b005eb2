/**
 * Kafka's error codes: the number on the wire, Kafka's name for it, whether a client may retry the
 * same request (Kafka's RetriableException family), and a one-line explanation. Codes are frozen
 * in Kafka, so this table only ever grows.
 */
export interface ErrorInfo {
  code: number
  name: string
  retriable: boolean
  message: string
}

type Row = readonly [code: number, name: string, retriable: boolean, message: string]

const T = true
const F = false

// prettier-ignore
const rows = [
  [-1, 'UNKNOWN_SERVER_ERROR', F, 'The server hit an unexpected error while handling the request.'],
  [0, 'NONE', F, 'Success.'],
  [1, 'OFFSET_OUT_OF_RANGE', F, 'The offset is outside the range the partition holds.'],
  [2, 'CORRUPT_MESSAGE', T, 'A record batch failed its CRC check or could not be decoded.'],
  [3, 'UNKNOWN_TOPIC_OR_PARTITION', T, 'The topic or partition does not exist on this server.'],
  [4, 'INVALID_FETCH_SIZE', F, 'The fetch size is invalid.'],
  [5, 'LEADER_NOT_AVAILABLE', T, 'The partition has no leader yet (for example, the topic is being created).'],
  [6, 'NOT_LEADER_OR_FOLLOWER', T, 'This server is not the leader of the partition.'],
  [7, 'REQUEST_TIMED_OUT', T, 'The request timed out.'],
  [8, 'BROKER_NOT_AVAILABLE', F, 'The broker is not available.'],
  [9, 'REPLICA_NOT_AVAILABLE', T, 'The replica is not available for the partition.'],
  [10, 'MESSAGE_TOO_LARGE', F, 'A record batch is larger than the largest the topic accepts.'],
  [11, 'STALE_CONTROLLER_EPOCH', F, 'The controller moved to another broker.'],
  [12, 'OFFSET_METADATA_TOO_LARGE', F, 'The metadata of an offset commit is too large.'],
  [13, 'NETWORK_EXCEPTION', T, 'The server disconnected before a response was received.'],
  [14, 'COORDINATOR_LOAD_IN_PROGRESS', T, 'The coordinator is still loading its state.'],
  [15, 'COORDINATOR_NOT_AVAILABLE', T, 'The coordinator is not available.'],
  [16, 'NOT_COORDINATOR', T, 'This server is not the coordinator of the group or transaction.'],
  [17, 'INVALID_TOPIC_EXCEPTION', F, 'The topic name is invalid or collides with an existing one.'],
  [18, 'RECORD_LIST_TOO_LARGE', F, 'A record batch is larger than the segment size.'],
  [19, 'NOT_ENOUGH_REPLICAS', T, 'Fewer in-sync replicas than required: the records were rejected.'],
  [20, 'NOT_ENOUGH_REPLICAS_AFTER_APPEND', T, 'The records were written, but to fewer in-sync replicas than required.'],
  [21, 'INVALID_REQUIRED_ACKS', F, 'Acks must be -1, 0 or 1.'],
  [22, 'ILLEGAL_GENERATION', F, 'The group generation is not the current one.'],
  [23, 'INCONSISTENT_GROUP_PROTOCOL', F, 'The member\'s protocol type or protocols do not match the group\'s.'],
  [24, 'INVALID_GROUP_ID', F, 'The group id is invalid.'],
  [25, 'UNKNOWN_MEMBER_ID', F, 'The coordinator does not know this member.'],
  [26, 'INVALID_SESSION_TIMEOUT', F, 'The session timeout is outside the range the broker allows.'],
  [27, 'REBALANCE_IN_PROGRESS', F, 'The group is rebalancing: the member must rejoin.'],
  [28, 'INVALID_COMMIT_OFFSET_SIZE', F, 'The offset commit data is too large.'],
  [29, 'TOPIC_AUTHORIZATION_FAILED', F, 'Not authorized to access the topic.'],
  [30, 'GROUP_AUTHORIZATION_FAILED', F, 'Not authorized to access the group.'],
  [31, 'CLUSTER_AUTHORIZATION_FAILED', F, 'Not authorized for this cluster operation.'],
  [32, 'INVALID_TIMESTAMP', F, 'A record timestamp is outside the accepted range.'],
  [33, 'UNSUPPORTED_SASL_MECHANISM', F, 'The broker does not support this SASL mechanism.'],
  [34, 'ILLEGAL_SASL_STATE', F, 'The request is not valid in the current SASL state.'],
  [35, 'UNSUPPORTED_VERSION', F, 'The broker does not support this version of the API.'],
  [36, 'TOPIC_ALREADY_EXISTS', F, 'A topic with this name already exists.'],
  [37, 'INVALID_PARTITIONS', F, 'The number of partitions is invalid.'],
  [38, 'INVALID_REPLICATION_FACTOR', F, 'The replication factor is below 1 or above the number of brokers.'],
  [39, 'INVALID_REPLICA_ASSIGNMENT', F, 'The replica assignment is invalid.'],
  [40, 'INVALID_CONFIG', F, 'A configuration name or value is invalid.'],
  [41, 'NOT_CONTROLLER', T, 'This server is not the controller.'],
  [42, 'INVALID_REQUEST', F, 'The request is malformed or not valid for this broker.'],
  [43, 'UNSUPPORTED_FOR_MESSAGE_FORMAT', F, 'The message format version does not support this request.'],
  [44, 'POLICY_VIOLATION', F, 'The request breaks a policy configured on the broker.'],
  [45, 'OUT_OF_ORDER_SEQUENCE_NUMBER', F, 'The producer sequence number is out of order.'],
  [46, 'DUPLICATE_SEQUENCE_NUMBER', F, 'The producer sequence number was already written.'],
  [47, 'INVALID_PRODUCER_EPOCH', F, 'The producer epoch is older than the current one.'],
  [48, 'INVALID_TXN_STATE', F, 'The operation is not valid in the transaction\'s current state.'],
  [49, 'INVALID_PRODUCER_ID_MAPPING', F, 'The producer id is not assigned to this transactional id.'],
  [50, 'INVALID_TRANSACTION_TIMEOUT', F, 'The transaction timeout exceeds the broker\'s maximum.'],
  [51, 'CONCURRENT_TRANSACTIONS', F, 'Another operation on the same transaction is in progress.'],
  [52, 'TRANSACTION_COORDINATOR_FENCED', F, 'The transaction coordinator is no longer the current one.'],
  [53, 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED', F, 'Not authorized to use this transactional id.'],
  [54, 'SECURITY_DISABLED', F, 'Security features are disabled.'],
  [55, 'OPERATION_NOT_ATTEMPTED', F, 'Not attempted because another part of the request failed.'],
  [56, 'KAFKA_STORAGE_ERROR', T, 'The broker hit a disk error.'],
  [57, 'LOG_DIR_NOT_FOUND', F, 'The log directory does not exist in the broker configuration.'],
  [58, 'SASL_AUTHENTICATION_FAILED', F, 'SASL authentication failed.'],
  [59, 'UNKNOWN_PRODUCER_ID', F, 'The broker has no state for this producer id (its records may have been deleted).'],
  [60, 'REASSIGNMENT_IN_PROGRESS', F, 'A partition reassignment is in progress.'],
  [61, 'DELEGATION_TOKEN_AUTH_DISABLED', F, 'Delegation tokens are disabled.'],
  [62, 'DELEGATION_TOKEN_NOT_FOUND', F, 'The delegation token does not exist.'],
  [63, 'DELEGATION_TOKEN_OWNER_MISMATCH', F, 'The principal is not the owner or renewer of the token.'],
  [64, 'DELEGATION_TOKEN_REQUEST_NOT_ALLOWED', F, 'Delegation token requests are not allowed on this connection.'],
  [65, 'DELEGATION_TOKEN_AUTHORIZATION_FAILED', F, 'Not authorized for this delegation token.'],
  [66, 'DELEGATION_TOKEN_EXPIRED', F, 'The delegation token has expired.'],
  [67, 'INVALID_PRINCIPAL_TYPE', F, 'The principal type is not supported.'],
  [68, 'NON_EMPTY_GROUP', F, 'The group still has members.'],
  [69, 'GROUP_ID_NOT_FOUND', F, 'The group does not exist.'],
  [70, 'FETCH_SESSION_ID_NOT_FOUND', T, 'The fetch session does not exist.'],
  [71, 'INVALID_FETCH_SESSION_EPOCH', T, 'The fetch session epoch is not the expected one.'],
  [72, 'LISTENER_NOT_FOUND', T, 'The leader has no listener matching the one this request came in on.'],
  [73, 'TOPIC_DELETION_DISABLED', F, 'Topic deletion is disabled on the broker.'],
  [74, 'FENCED_LEADER_EPOCH', T, 'The leader epoch in the request is older than the broker\'s.'],
  [75, 'UNKNOWN_LEADER_EPOCH', T, 'The leader epoch in the request is newer than the broker\'s.'],
  [76, 'UNSUPPORTED_COMPRESSION_TYPE', F, 'This request version does not allow the compression codec used.'],
  [77, 'STALE_BROKER_EPOCH', F, 'The broker epoch has changed.'],
  [78, 'OFFSET_NOT_AVAILABLE', T, 'The offset is not available yet after a leader change.'],
  [79, 'MEMBER_ID_REQUIRED', F, 'The member must rejoin with the member id it was given.'],
  [80, 'PREFERRED_LEADER_NOT_AVAILABLE', T, 'The preferred leader is not available.'],
  [81, 'GROUP_MAX_SIZE_REACHED', F, 'The group has reached its maximum size.'],
  [82, 'FENCED_INSTANCE_ID', F, 'Another member registered with the same group instance id.'],
  [83, 'ELIGIBLE_LEADERS_NOT_AVAILABLE', T, 'No eligible leader is available for the partition.'],
  [84, 'ELECTION_NOT_NEEDED', T, 'The partition does not need a leader election.'],
  [85, 'NO_REASSIGNMENT_IN_PROGRESS', F, 'No partition reassignment is in progress.'],
  [86, 'GROUP_SUBSCRIBED_TO_TOPIC', F, 'The group is subscribed to the topic, so its offsets cannot be deleted.'],
  [87, 'INVALID_RECORD', F, 'A record failed the broker\'s validation.'],
  [88, 'UNSTABLE_OFFSET_COMMIT', T, 'There are pending transactional offset commits.'],
  [89, 'THROTTLING_QUOTA_EXCEEDED', T, 'The throttling quota was exceeded.'],
  [90, 'PRODUCER_FENCED', F, 'A newer producer with the same transactional id has fenced this one.'],
  [91, 'RESOURCE_NOT_FOUND', F, 'The request refers to a resource that does not exist.'],
  [92, 'DUPLICATE_RESOURCE', F, 'The request names the same resource twice.'],
  [93, 'UNACCEPTABLE_CREDENTIAL', F, 'The credential does not meet the acceptance criteria.'],
  [94, 'INCONSISTENT_VOTER_SET', F, 'The sender or receiver is not one of the expected voters.'],
  [95, 'INVALID_UPDATE_VERSION', F, 'The update version is invalid.'],
  [96, 'FEATURE_UPDATE_FAILED', F, 'The finalized features could not be updated.'],
  [97, 'PRINCIPAL_DESERIALIZATION_FAILURE', F, 'The principal of a forwarded request could not be decoded.'],
  [98, 'SNAPSHOT_NOT_FOUND', F, 'The snapshot does not exist.'],
  [99, 'POSITION_OUT_OF_RANGE', F, 'The position is outside the snapshot.'],
  [100, 'UNKNOWN_TOPIC_ID', T, 'No topic with this id exists on this server.'],
  [101, 'DUPLICATE_BROKER_REGISTRATION', F, 'A broker with this id is already registered.'],
  [102, 'BROKER_ID_NOT_REGISTERED', F, 'The broker id is not registered.'],
  [103, 'INCONSISTENT_TOPIC_ID', T, 'The topic id does not match the topic\'s id on the broker.'],
  [104, 'INCONSISTENT_CLUSTER_ID', F, 'The cluster id does not match.'],
  [105, 'TRANSACTIONAL_ID_NOT_FOUND', F, 'The transactional id does not exist.'],
  [106, 'FETCH_SESSION_TOPIC_ID_ERROR', T, 'The fetch session mixes topic ids and topic names.'],
  [107, 'INELIGIBLE_REPLICA', F, 'The replica is not eligible to become leader.'],
  [108, 'NEW_LEADER_ELECTED', F, 'A new leader was elected for the partition.'],
  [109, 'OFFSET_MOVED_TO_TIERED_STORAGE', F, 'The offset has moved to tiered storage.'],
  [110, 'FENCED_MEMBER_EPOCH', F, 'The member epoch is fenced: the member must rejoin.'],
  [111, 'UNRELEASED_INSTANCE_ID', F, 'The instance id is still held by another member.'],
  [112, 'UNSUPPORTED_ASSIGNOR', F, 'The assignor or its version is not supported by the group.'],
  [113, 'STALE_MEMBER_EPOCH', F, 'The member epoch is stale.'],
  [114, 'MISMATCHED_ENDPOINT_TYPE', F, 'The request was sent to the wrong kind of endpoint.'],
  [115, 'UNSUPPORTED_ENDPOINT_TYPE', F, 'This kind of endpoint is not supported.'],
  [116, 'UNKNOWN_CONTROLLER_ID', F, 'The controller id is not known.'],
  [117, 'UNKNOWN_SUBSCRIPTION_ID', F, 'The telemetry subscription id is unknown or outdated.'],
  [118, 'TELEMETRY_TOO_LARGE', F, 'The telemetry push is larger than the broker accepts.'],
  [119, 'INVALID_REGISTRATION', F, 'The broker registration is invalid.'],
  [120, 'TRANSACTION_ABORTABLE', F, 'The transaction hit an error and must be aborted.'],
  [121, 'INVALID_RECORD_STATE', F, 'The record state does not allow this acknowledgement.'],
  [122, 'SHARE_SESSION_NOT_FOUND', T, 'The share session does not exist.'],
  [123, 'INVALID_SHARE_SESSION_EPOCH', T, 'The share session epoch is invalid.'],
  [124, 'FENCED_STATE_EPOCH', F, 'The share group state epoch does not match.'],
  [125, 'INVALID_VOTER_KEY', F, 'The voter key does not match the replica.'],
  [126, 'DUPLICATE_VOTER', F, 'The voter is already in the voter set.'],
  [127, 'VOTER_NOT_FOUND', F, 'The voter is not in the voter set.'],
] as const satisfies readonly Row[]

type Rows = typeof rows
type CodeByName = {readonly [R in Rows[number] as R[1]]: R[0]}

/** Error codes by Kafka name: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION === 3. */
export const ErrorCode = Object.freeze(Object.fromEntries(rows.map(([code, name]) => [name, code]))) as CodeByName

const byCode = new Map<number, ErrorInfo>(
  rows.map(([code, name, retriable, message]) => [code, Object.freeze({code, name, retriable, message})]),
)

/** The table entry for a code; a code Kafka has not defined gets a generic entry naming it. */
export function errorInfo(code: number): ErrorInfo {
  return byCode.get(code) ?? {code, name: `UNKNOWN_ERROR_${code}`, retriable: false, message: `Unknown Kafka error code ${code}.`}
}

/** Every known entry, in code order. */
export function allErrors(): ErrorInfo[] {
  return [...byCode.values()]
}
