import {expect} from 'chai'
import {TOPIC_CONFIGS} from '../../src/broker/topic-config-definitions.js'
import {validateTopicConfigs} from '../../src/broker/topic-config-validation.js'
import {collidingTopic, invalidTopicName, isInternalTopic} from '../../src/broker/topic-names.js'

describe('topic names', () => {
  it('accepts Kafka names and explains refusals', () => {
    expect(invalidTopicName('orders.v1_x-2')).to.equal(null)
    for (const bad of ['', '.', '..', 'a b', 'é', 'x'.repeat(250)]) expect(invalidTopicName(bad), bad).to.be.a('string')
  })

  it('finds the topic a name collides with once "." reads as "_"', () => {
    expect(collidingTopic('a_b', ['a.b', 'c'])).to.equal('a.b')
    expect(collidingTopic('a.b', ['a.b'])).to.equal(null)
    expect(collidingTopic('ab', ['a.b'])).to.equal(null)
  })

  it('knows Kafka internal topics only', () => {
    expect(isInternalTopic('__consumer_offsets')).to.equal(true)
    expect(isInternalTopic('__mine')).to.equal(false)
  })
})

describe('topic configs', () => {
  it('accepts known keys with valid values, trimmed', () => {
    const result = validateTopicConfigs([{name: 'retention.ms', value: ' -1 '}, {name: 'cleanup.policy', value: 'compact,delete'},
      {name: 'min.cleanable.dirty.ratio', value: '0.1'}, {name: 'preallocate', value: 'TRUE'}, {name: 'message.timestamp.type', value: 'LogAppendTime'}])
    expect(result).to.deep.equal({ok: true, configs: {'retention.ms': '-1', 'cleanup.policy': 'compact,delete',
      'min.cleanable.dirty.ratio': '0.1', preallocate: 'TRUE', 'message.timestamp.type': 'LogAppendTime'}})
  })

  const refused: [string, string | null, RegExp][] = [
    ['no.such', '1', /unknown topic config/],
    ['retention.ms', null, /needs a value/],
    ['retention.ms', '-2', /at least -1/],
    ['segment.bytes', '3000000000', /at most 2147483647/],
    ['segment.bytes', '1048575', /segment.bytes=1048575 must be at least 1048576 \(1 MiB, Kafka 4.0's minimum segment size\)/],
    ['cleanup.policy', 'shred', /comma-separated list/],
    ['compression.type', 'gzip', /as the producer sent them/],
    ['remote.storage.enable', 'true', /tiered storage/],
    ['min.cleanable.dirty.ratio', '2', /between 0 and 1/],
  ]
  for (const [name, value, message] of refused) {
    it(`refuses ${name}=${value}`, () => {
      const result = validateTopicConfigs([{name, value}])
      expect(result.ok).to.equal(false)
      expect((result as {message: string}).message).to.match(message)
    })
  }

  it('refuses a key given twice', () => {
    expect(validateTopicConfigs([{name: 'retention.ms', value: '1'}, {name: 'retention.ms', value: '2'}]).ok).to.equal(false)
  })

  it('knows every Kafka 3.9 topic config, and every default passes its own check', () => {
    expect(TOPIC_CONFIGS.size).to.equal(36)
    for (const definition of TOPIC_CONFIGS.values()) {
      expect(definition.check(definition.defaultValue), definition.name).to.equal(null)
      expect(definition.documentation, definition.name).to.match(/^[A-Z].*\.$/)
    }
  })
})
