import {expect} from 'chai'
import {consumerOffsetsPartition} from '../../src/protocol/group-records.js'
import {ProtocolError} from '../../src/protocol/protocol-error.js'
import type {DataDef} from '../../src/protocol/schema.js'
import {
  decodeTransactionLogKey,
  decodeTransactionLogValue,
  encodeTransactionLogKey,
  encodeTransactionLogValue,
  TRANSACTION_STATE_PARTITIONS,
  TransactionLogKeySchema,
  type TransactionLogValue,
  TransactionLogValueSchema,
  TransactionStatus,
  transactionStatePartition,
  transactionStatusName,
} from '../../src/protocol/transaction-records.js'
import {checksRecordSchemas} from './data-round-trip.js'

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex')

// Golden bytes worked out by hand from records/TransactionLog*.json: int16 version, then the fields
// in order; classic encoding in v0, compact lengths and tagged-field sections in v1.
const T = '0000018bcfe56800' // 1700000000000
const T_LATER = '0000018bcfe57b88' // 1700000005000
const KEY_V0 = hex('0000 0003 74786e')
const ONGOING_V0 = hex(`
  0000
  00000000000003e8
  0002
  0000ea60
  01
  00000001
    0001 74
    00000002 00000000 00000003
  ${T_LATER}
  ${T}`)
const EMPTY_V0 = hex(`0000 00000000000003e8 0000 0000ea60 00 ffffffff ${T} ffffffffffffffff`)
const ONGOING_V1 = hex(`
  0001
  00000000000003e8
  0002
  0000ea60
  01
  02
    02 74
    03 00000000 00000003
    00
  ${T_LATER}
  ${T}
  02
    00 08 00000000000003e7
    02 02 0002`)

const ongoing: TransactionLogValue = {
  producerId: 1000,
  previousProducerId: -1,
  nextProducerId: -1,
  producerEpoch: 2,
  transactionTimeoutMs: 60000,
  transactionStatus: TransactionStatus.Ongoing,
  transactionPartitions: [{topic: 't', partitionIds: [0, 3]}],
  transactionLastUpdateTimestampMs: 1700000005000,
  transactionStartTimestampMs: 1700000000000,
  clientTransactionVersion: 0,
}

const SCHEMAS: DataDef<unknown>[] = [TransactionLogKeySchema, TransactionLogValueSchema]

describe('__transaction_state records', () => {
  checksRecordSchemas(SCHEMAS)

  describe('keys', () => {
    it('v0: the transactional id', () => {
      expect(encodeTransactionLogKey({transactionalId: 'txn'})).to.deep.equal(KEY_V0)
      expect(decodeTransactionLogKey(KEY_V0)).to.deep.equal({version: 0, value: {transactionalId: 'txn'}})
    })

    it('refuses other versions, truncated and overlong keys', () => {
      expect(() => decodeTransactionLogKey(hex('0001 0003 74786e'))).to.throw(ProtocolError, /TransactionLogKey version 1 is not known/)
      expect(() => decodeTransactionLogKey(KEY_V0.subarray(0, 5))).to.throw(ProtocolError, /malformed TransactionLogKey v0/)
      expect(() => decodeTransactionLogKey(Buffer.concat([KEY_V0, hex('00')]))).to.throw(ProtocolError, /1 bytes after the end/)
    })
  })

  describe('values', () => {
    it('v0, as Kafka writes it before transaction.version 1: an ongoing transaction and its partitions', () => {
      expect(encodeTransactionLogValue(ongoing)).to.deep.equal(ONGOING_V0)
      expect(decodeTransactionLogValue(ONGOING_V0)).to.deep.equal({version: 0, value: ongoing})
    })

    it('v0 of an Empty transactional id: null partitions', () => {
      const empty = {
        ...ongoing,
        producerEpoch: 0,
        transactionStatus: TransactionStatus.Empty,
        transactionPartitions: null,
        transactionLastUpdateTimestampMs: 1700000000000,
        transactionStartTimestampMs: -1,
      }
      expect(encodeTransactionLogValue(empty)).to.deep.equal(EMPTY_V0)
      expect(decodeTransactionLogValue(EMPTY_V0)).to.deep.equal({version: 0, value: empty})
    })

    it('v1 is flexible: compact lengths, and tagged fields sent only when not their default', () => {
      const value = {...ongoing, previousProducerId: 999, clientTransactionVersion: 2}
      expect(encodeTransactionLogValue(value, 1)).to.deep.equal(ONGOING_V1)
      expect(decodeTransactionLogValue(ONGOING_V1)).to.deep.equal({version: 1, value})
    })

    it('v0 drops the tagged fields of v1', () => {
      const value = {...ongoing, previousProducerId: 999, nextProducerId: 1001, clientTransactionVersion: 2}
      expect(encodeTransactionLogValue(value)).to.deep.equal(ONGOING_V0)
    })

    it('refuses unknown versions and statuses, and truncated values', () => {
      const v2 = Buffer.concat([hex('0002'), ONGOING_V1.subarray(2)])
      expect(() => decodeTransactionLogValue(v2)).to.throw(ProtocolError, /TransactionLogValue version 2 is not known \(versions 0-1\)/)
      const badStatus = Buffer.from(ONGOING_V0)
      badStatus[16] = 8
      expect(() => decodeTransactionLogValue(badStatus)).to.throw(ProtocolError, /transaction status 8/)
      expect(() => encodeTransactionLogValue({...ongoing, transactionStatus: -1})).to.throw(ProtocolError, /transaction status -1 is not known/)
      expect(() => decodeTransactionLogValue(ONGOING_V0.subarray(0, 30))).to.throw(ProtocolError, /malformed TransactionLogValue v0/)
    })
  })

  it('status ids are named as DescribeTransactions names them', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(transactionStatusName)).to.deep.equal([
      'Empty',
      'Ongoing',
      'PrepareCommit',
      'PrepareAbort',
      'CompleteCommit',
      'CompleteAbort',
      'Dead',
      'PrepareEpochFence',
    ])
    expect(transactionStatusName(8)).to.equal(null)
    expect(transactionStatusName(-1)).to.equal(null)
  })

  describe('partition of a transactional id', () => {
    it("is the group function: Java's String.hashCode, Kafka's Utils.abs, modulo 50 partitions by default", () => {
      expect(TRANSACTION_STATE_PARTITIONS).to.equal(50)
      expect(transactionStatePartition('a')).to.equal(97 % 50)
      // "txn": ((116 * 31) + 120) * 31 + 110 = 115306.
      expect(transactionStatePartition('txn')).to.equal(115306 % 50)
      // hashCode Integer.MIN_VALUE: Utils.abs gives 0.
      expect(transactionStatePartition('polygenelubricants')).to.equal(0)
      expect(transactionStatePartition('my-txn', 7)).to.equal(consumerOffsetsPartition('my-txn', 7))
    })
  })
})
