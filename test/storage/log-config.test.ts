import {expect} from 'chai'
import {LONG_MAX} from '../../src/storage/config-values.js'
import {InvalidConfigError} from '../../src/storage/errors.js'
import {DEFAULT_LOG_CONFIG, deletesOldSegments, logConfigFrom, MIN_SEGMENT_BYTES, STORAGE_CONFIG_NAMES, storedLogConfig} from '../../src/storage/log-config.js'

describe('LogConfig', () => {
  it("uses Kafka's defaults and ignores configs it does not own", () => {
    expect(logConfigFrom({'max.message.bytes': '1000', 'compression.type': 'zstd'})).to.deep.equal(DEFAULT_LOG_CONFIG)
    expect(DEFAULT_LOG_CONFIG).to.deep.equal({
      segmentBytes: 1024 ** 3,
      segmentMs: 604800000,
      segmentJitterMs: 0,
      indexIntervalBytes: 4096,
      timestampType: 'CreateTime',
      retentionMs: 604800000,
      retentionBytes: -1,
      flushMessages: LONG_MAX,
      flushMs: LONG_MAX,
      cleanupPolicy: ['delete'],
      deleteRetentionMs: 86400000,
      minCleanableDirtyRatio: 0.5,
      minCompactionLagMs: 0,
      maxCompactionLagMs: LONG_MAX,
      fileDeleteDelayMs: 60000,
    })
  })

  it('reads every config storage acts on', () => {
    const configs = {
      'segment.bytes': '1048577',
      'segment.ms': '3600000',
      'segment.jitter.ms': '10',
      'index.interval.bytes': '0',
      'message.timestamp.type': 'LogAppendTime',
      'retention.ms': '-1',
      'retention.bytes': '-5',
      'flush.messages': '1',
      'flush.ms': '0',
      'cleanup.policy': ' compact , delete',
      'delete.retention.ms': '0',
      'min.cleanable.dirty.ratio': '0.25',
      'min.compaction.lag.ms': '5',
      'max.compaction.lag.ms': '6',
      'file.delete.delay.ms': '0',
    }
    expect(Object.keys(configs).sort()).to.deep.equal([...STORAGE_CONFIG_NAMES].sort())
    expect(logConfigFrom(configs)).to.deep.equal({
      segmentBytes: 1048577,
      segmentMs: 3600000,
      segmentJitterMs: 10,
      indexIntervalBytes: 0,
      timestampType: 'LogAppendTime',
      retentionMs: -1,
      retentionBytes: -5,
      flushMessages: 1,
      flushMs: 0,
      cleanupPolicy: ['compact', 'delete'],
      deleteRetentionMs: 0,
      minCleanableDirtyRatio: 0.25,
      minCompactionLagMs: 5,
      maxCompactionLagMs: 6,
      fileDeleteDelayMs: 0,
    })
  })

  it('reads longs up to Long.MAX_VALUE, keeping those past 2^53 - 1 as LONG_MAX ("never")', () => {
    expect(logConfigFrom({'flush.messages': '9223372036854775807'}).flushMessages).to.equal(LONG_MAX)
    expect(logConfigFrom({'retention.bytes': '-9223372036854775808'}).retentionBytes).to.equal(-LONG_MAX)
    expect(logConfigFrom({'retention.ms': '9007199254740991'}).retentionMs).to.equal(9007199254740991)
    expect(() => logConfigFrom({'flush.ms': '9223372036854775808'})).to.throw(InvalidConfigError, 'flush.ms')
  })

  it('reads an empty cleanup.policy as no policy, so that nothing is deleted', () => {
    const config = logConfigFrom({'cleanup.policy': ''})
    expect(config.cleanupPolicy).to.deep.equal([])
    expect(deletesOldSegments(config)).to.equal(false)
    expect(deletesOldSegments(logConfigFrom({'cleanup.policy': 'compact,delete'}))).to.equal(true)
    expect(deletesOldSegments(logConfigFrom({'cleanup.policy': 'compact'}))).to.equal(false)
  })

  it('refuses values out of range or of the wrong kind, naming the config', () => {
    const bad: Record<string, string>[] = [
      {'segment.bytes': '13'},
      {'segment.bytes': '2147483648'},
      {'segment.bytes': '1e6'},
      {'segment.bytes': ''},
      {'index.interval.bytes': '-1'},
      {'message.timestamp.type': 'logappendtime'},
      {'segment.ms': '0'},
      {'segment.jitter.ms': '-1'},
      {'retention.ms': '-2'},
      {'retention.bytes': '1.5'},
      {'flush.messages': '0'},
      {'flush.ms': '-1'},
      {'cleanup.policy': 'delete,forever'},
      {'delete.retention.ms': 'a day'},
      {'min.cleanable.dirty.ratio': '1.01'},
      {'min.cleanable.dirty.ratio': 'half'},
      {'min.compaction.lag.ms': '-1'},
      {'max.compaction.lag.ms': '0'},
      {'file.delete.delay.ms': '-1'},
    ]
    for (const configs of bad) {
      const name = Object.keys(configs)[0] as string
      expect(() => logConfigFrom(configs), JSON.stringify(configs)).to.throw(InvalidConfigError, name)
    }
  })

  it('refuses a min.compaction.lag.ms above max.compaction.lag.ms, as Kafka does', () => {
    expect(() => logConfigFrom({'min.compaction.lag.ms': '10', 'max.compaction.lag.ms': '9'})).to.throw(InvalidConfigError, 'min.compaction.lag.ms 10')
  })

  it("refuses segment.bytes below Kafka 4.0's minimum of 1 MiB, unless the caller lowers the minimum", () => {
    expect(MIN_SEGMENT_BYTES).to.equal(1048576)
    expect(logConfigFrom({'segment.bytes': '1048576'}).segmentBytes).to.equal(1048576)
    expect(() => logConfigFrom({'segment.bytes': '1048575'})).to.throw(InvalidConfigError, /segment.bytes must be an integer from 1048576/)
    expect(logConfigFrom({'segment.bytes': '2000'}, 100).segmentBytes).to.equal(2000)
    expect(() => logConfigFrom({'segment.bytes': '99'}, 100)).to.throw(InvalidConfigError, 'segment.bytes')
  })

  it('raises a stored segment.bytes below the minimum to it, saying so, rather than refusing the topic', () => {
    const lines: string[] = []
    const config = storedLogConfig('orders', {'segment.bytes': '4096', 'index.interval.bytes': '10'}, MIN_SEGMENT_BYTES, (line) => lines.push(line))
    expect(config).to.deep.equal({...DEFAULT_LOG_CONFIG, segmentBytes: MIN_SEGMENT_BYTES, indexIntervalBytes: 10})
    expect(lines).to.deep.equal([`orders: segment.bytes 4096 is below the minimum ${MIN_SEGMENT_BYTES}; using ${MIN_SEGMENT_BYTES}`])
    expect(storedLogConfig('orders', {'segment.bytes': '4096'}, 1024, (line) => lines.push(line)).segmentBytes).to.equal(4096)
    expect(lines).to.have.length(1)
    expect(() => storedLogConfig('orders', {'segment.bytes': '13'}, 1024, () => {})).to.throw(InvalidConfigError)
  })
})
