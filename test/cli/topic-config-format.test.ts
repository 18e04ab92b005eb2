import {expect} from 'chai'

import {type TopicConfig, configTableLines, setConfigs} from '../../src/cli/topic-config-format.js'

const entry = (name: string, value: string | null, source: TopicConfig['source'], sensitive = false): TopicConfig =>
  ({name, value, source, isDefault: source === 'DEFAULT_CONFIG', readOnly: false, sensitive})

const configs = [
  entry('segment.bytes', '1073741824', 'DEFAULT_CONFIG'),
  entry('retention.ms', '1000', 'DYNAMIC_TOPIC_CONFIG'),
  entry('cleanup.policy', 'delete', 'STATIC_BROKER_CONFIG'),
  entry('secret', null, 'DYNAMIC_TOPIC_CONFIG', true),
]

describe('topic config format', () => {
  it('lists what the topic or the broker set for kafka-topics\' Configs field, hidden values as null', () => {
    expect(setConfigs(configs)).to.deep.equal({'retention.ms': '1000', 'cleanup.policy': 'delete', secret: 'null'})
  })

  it('tabulates every config by name with its value and source', () => {
    expect(configTableLines(configs)).to.deep.equal([
      'NAME            VALUE        SOURCE',
      'cleanup.policy  delete       STATIC_BROKER_CONFIG',
      'retention.ms    1000         DYNAMIC_TOPIC_CONFIG',
      'secret          (sensitive)  DYNAMIC_TOPIC_CONFIG',
      'segment.bytes   1073741824   DEFAULT_CONFIG',
    ])
  })
})
