import {expect} from 'chai'

import {UsageError} from '../../src/cli/cli-errors.js'
import {alterationLines, configOperations, topicAlteration} from '../../src/cli/topic-alteration.js'

describe('topic alteration', () => {
  it('reads --config, --delete-config and --partitions', () => {
    const alteration = topicAlteration({config: ['retention.ms=1000', 'cleanup.policy=compact,delete'], 'delete-config': ['segment.bytes', 'segment.bytes'], partitions: 6})
    expect(alteration).to.deep.equal({set: {'retention.ms': '1000', 'cleanup.policy': 'compact,delete'}, deleted: ['segment.bytes'], partitions: 6})
    expect(configOperations(alteration)).to.deep.equal([
      {name: 'retention.ms', op: 'set', value: '1000'},
      {name: 'cleanup.policy', op: 'set', value: 'compact,delete'},
      {name: 'segment.bytes', op: 'delete'},
    ])
  })

  it('refuses nothing to do, a key both set and removed, and a removal written as KEY=VALUE', () => {
    expect(() => topicAlteration({})).to.throw(UsageError, 'nothing to alter')
    expect(() => topicAlteration({config: ['a=1'], 'delete-config': ['a']})).to.throw(UsageError, 'config a is both set with --config and removed with --delete-config')
    expect(() => topicAlteration({'delete-config': ['a=1']})).to.throw(UsageError, "--delete-config takes a config name, got 'a=1'")
    expect(() => topicAlteration({config: ['novalue']})).to.throw(UsageError, "--config expects key=value, got 'novalue'")
  })

  it('says one line per change, or what would change in a dry run', () => {
    const alteration = {set: {'retention.ms': '1000'}, deleted: ['segment.bytes'], partitions: 6}
    expect(alterationLines('orders', alteration, 3, false)).to.deep.equal([
      'Set retention.ms=1000 on topic orders.',
      'segment.bytes of topic orders is now its default.',
      'Increased the partitions of topic orders from 3 to 6.',
    ])
    expect(alterationLines('orders', alteration, 3, true)).to.deep.equal([
      'Would set retention.ms=1000 on topic orders.',
      'Would reset segment.bytes of topic orders to its default.',
      'Would increase the partitions of topic orders from 3 to 6.',
    ])
  })
})
