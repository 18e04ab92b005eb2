import {expect} from 'chai'
import {ErrorCode, allErrors, errorInfo} from '../../src/protocol/errors.js'

/** protocol.md section 7: the codes a single-node broker and its clients meet. */
const SECTION_7: [number, string][] = [
  [-1, 'UNKNOWN_SERVER_ERROR'],
  [1, 'OFFSET_OUT_OF_RANGE'],
  [2, 'CORRUPT_MESSAGE'],
  [3, 'UNKNOWN_TOPIC_OR_PARTITION'],
  [5, 'LEADER_NOT_AVAILABLE'],
  [6, 'NOT_LEADER_OR_FOLLOWER'],
  [7, 'REQUEST_TIMED_OUT'],
  [10, 'MESSAGE_TOO_LARGE'],
  [12, 'OFFSET_METADATA_TOO_LARGE'],
  [14, 'COORDINATOR_LOAD_IN_PROGRESS'],
  [15, 'COORDINATOR_NOT_AVAILABLE'],
  [16, 'NOT_COORDINATOR'],
  [17, 'INVALID_TOPIC_EXCEPTION'],
  [18, 'RECORD_LIST_TOO_LARGE'],
  [21, 'INVALID_REQUIRED_ACKS'],
  [22, 'ILLEGAL_GENERATION'],
  [23, 'INCONSISTENT_GROUP_PROTOCOL'],
  [24, 'INVALID_GROUP_ID'],
  [25, 'UNKNOWN_MEMBER_ID'],
  [26, 'INVALID_SESSION_TIMEOUT'],
  [27, 'REBALANCE_IN_PROGRESS'],
  [32, 'INVALID_TIMESTAMP'],
  [35, 'UNSUPPORTED_VERSION'],
  [36, 'TOPIC_ALREADY_EXISTS'],
  [37, 'INVALID_PARTITIONS'],
  [38, 'INVALID_REPLICATION_FACTOR'],
  [40, 'INVALID_CONFIG'],
  [42, 'INVALID_REQUEST'],
  [44, 'POLICY_VIOLATION'],
  [45, 'OUT_OF_ORDER_SEQUENCE_NUMBER'],
  [46, 'DUPLICATE_SEQUENCE_NUMBER'],
  [47, 'INVALID_PRODUCER_EPOCH'],
  [48, 'INVALID_TXN_STATE'],
  [49, 'INVALID_PRODUCER_ID_MAPPING'],
  [50, 'INVALID_TRANSACTION_TIMEOUT'],
  [51, 'CONCURRENT_TRANSACTIONS'],
  [55, 'OPERATION_NOT_ATTEMPTED'],
  [68, 'NON_EMPTY_GROUP'],
  [69, 'GROUP_ID_NOT_FOUND'],
  [70, 'FETCH_SESSION_ID_NOT_FOUND'],
  [74, 'FENCED_LEADER_EPOCH'],
  [75, 'UNKNOWN_LEADER_EPOCH'],
  [76, 'UNSUPPORTED_COMPRESSION_TYPE'],
  [79, 'MEMBER_ID_REQUIRED'],
  [82, 'FENCED_INSTANCE_ID'],
  [86, 'GROUP_SUBSCRIBED_TO_TOPIC'],
  [87, 'INVALID_RECORD'],
  [88, 'UNSTABLE_OFFSET_COMMIT'],
  [90, 'PRODUCER_FENCED'],
  [100, 'UNKNOWN_TOPIC_ID'],
]

describe('error-code table', () => {
  it('holds every code of protocol.md section 7 under its Kafka name', () => {
    for (const [code, name] of SECTION_7) {
      expect(errorInfo(code).name, String(code)).to.equal(name)
      expect((ErrorCode as Record<string, number>)[name], name).to.equal(code)
    }
  })

  it('covers -1 to 127 without gaps, each code and name once', () => {
    const entries = allErrors()
    expect(entries.map((e) => e.code)).to.deep.equal(Array.from({length: 129}, (_, i) => i - 1))
    expect(new Set(entries.map((e) => e.name)).size).to.equal(entries.length)
    expect(Object.keys(ErrorCode)).to.have.length(entries.length)
    for (const entry of entries) expect(entry.message, entry.name).to.match(/^[A-Z].*\.$/)
  })

  it('marks retriable what Kafka clients retry', () => {
    const retriable = (code: number): boolean => errorInfo(code).retriable
    expect([2, 3, 5, 6, 7, 13, 14, 15, 16, 19, 56, 74, 75, 100].every(retriable)).to.equal(true)
    expect([-1, 0, 1, 10, 17, 35, 36, 37, 38, 42, 45, 47, 87, 90].some(retriable)).to.equal(false)
  })

  it('gives ErrorCode constants typed by name', () => {
    const code: 3 = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
    expect(code).to.equal(3)
    expect(ErrorCode.NONE).to.equal(0)
    expect(Object.isFrozen(ErrorCode)).to.equal(true)
  })

  it('answers an unknown code with a generic entry naming it', () => {
    expect(errorInfo(4242)).to.deep.equal({
      code: 4242,
      name: 'UNKNOWN_ERROR_4242',
      retriable: false,
      message: 'Unknown Kafka error code 4242.',
    })
  })
})
