import {expect} from 'chai'
import {InvalidConfigError} from '../../src/storage/errors.js'
import {DEFAULT_LOG_CONFIG, logConfigFrom, MIN_SEGMENT_BYTES, storedLogConfig} from '../../src/storage/log-config.js'

describe('LogConfig', () => {
  it('uses Kafka defaults and ignores configs it does not own', () => {
    expect(logConfigFrom({'retention.ms': '1000', 'cleanup.policy': 'compact'})).to.deep.equal({
      segmentBytes: 1073741824,
      indexIntervalBytes: 4096,
      timestampType: 'CreateTime',
    })
    expect(DEFAULT_LOG_CONFIG.segmentBytes).to.equal(1024 ** 3)
  })

  it('reads segment.bytes, index.interval.bytes and message.timestamp.type', () => {
    expect(logConfigFrom({'segment.bytes': '1048577', 'index.interval.bytes': '0', 'message.timestamp.type': 'LogAppendTime'})).to.deep.equal({
      segmentBytes: 1048577,
      indexIntervalBytes: 0,
      timestampType: 'LogAppendTime',
    })
  })

  it('refuses values out of range or of the wrong kind, naming the config', () => {
    const bad: Record<string, string>[] = [
      {'segment.bytes': '13'},
      {'segment.bytes': '2147483648'},
      {'segment.bytes': '1e6'},
      {'segment.bytes': ''},
      {'index.interval.bytes': '-1'},
      {'message.timestamp.type': 'logappendtime'},
    ]
    for (const configs of bad) {
      const name = Object.keys(configs)[0] as string
      expect(() => logConfigFrom(configs), JSON.stringify(configs)).to.throw(InvalidConfigError, name)
    }
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
    expect(config).to.deep.equal({segmentBytes: MIN_SEGMENT_BYTES, indexIntervalBytes: 10, timestampType: 'CreateTime'})
    expect(lines).to.deep.equal([`orders: segment.bytes 4096 is below the minimum ${MIN_SEGMENT_BYTES}; using ${MIN_SEGMENT_BYTES}`])
    expect(storedLogConfig('orders', {'segment.bytes': '4096'}, 1024, (line) => lines.push(line)).segmentBytes).to.equal(4096)
    expect(lines).to.have.length(1)
    expect(() => storedLogConfig('orders', {'segment.bytes': '13'}, 1024, () => {})).to.throw(InvalidConfigError)
  })
})
