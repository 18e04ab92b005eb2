import {expect} from 'chai'
import {InvalidConfigError} from '../../src/storage/errors.js'
import {DEFAULT_LOG_CONFIG, logConfigFrom} from '../../src/storage/log-config.js'

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
    expect(logConfigFrom({'segment.bytes': '1048576', 'index.interval.bytes': '0', 'message.timestamp.type': 'LogAppendTime'})).to.deep.equal({
      segmentBytes: 1048576,
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
})
