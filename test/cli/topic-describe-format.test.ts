import {expect} from 'chai'

import {describeTopicLines} from '../../src/cli/topic-describe-format.js'

const topic = {
  name: 'orders',
  topicId: 'AAAAAAAAAAAAAAAAAAAAAQ',
  partitions: [
    {partition: 1, leader: 1, replicas: [1], isr: [1]},
    {partition: 0, leader: -1, replicas: [1, 2], isr: []},
  ],
}

describe('describeTopicLines (kafka-topics --describe layout)', () => {
  it('prints a TAB-separated header, then one TAB-led line per partition in order', () => {
    expect(describeTopicLines(topic)).to.deep.equal([
      'Topic: orders\tTopicId: AAAAAAAAAAAAAAAAAAAAAQ\tPartitionCount: 2\tReplicationFactor: 1',
      '\tTopic: orders\tPartition: 0\tLeader: none\tReplicas: 1,2\tIsr: ',
      '\tTopic: orders\tPartition: 1\tLeader: 1\tReplicas: 1\tIsr: 1',
    ])
  })

  it('adds Configs when they are known', () => {
    const [header] = describeTopicLines({...topic, configs: {'retention.ms': '1000', 'cleanup.policy': 'compact'}})
    expect(header.split('\t').at(-1)).to.equal('Configs: retention.ms=1000,cleanup.policy=compact')
    expect(describeTopicLines({...topic, configs: {}})[0].endsWith('\tConfigs: ')).to.equal(true)
  })

  it('parses the way scripts parse Kafka\'s output', () => {
    const partitionLines = describeTopicLines(topic).filter((line) => line.startsWith('\t'))
    const leaders = partitionLines.map((line) => Object.fromEntries(line.slice(1).split('\t').map((field) => field.split(': ')))['Leader'])
    expect(leaders).to.deep.equal(['none', '1'])
  })
})
