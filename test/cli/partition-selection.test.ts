import {expect} from 'chai'

import {UsageError} from '../../src/cli/cli-errors.js'
import {selectPartitions} from '../../src/cli/partition-selection.js'
import {UNKNOWN_TOPIC} from '../../src/cli/topic-errors.js'
import {ErrorCode} from '../../src/protocol/index.js'

const admin = {
  async describeTopics(names: string[]) {
    return names.map((name) => name === 't'
      ? {name, topicId: 'x', errorCode: 0, internal: false, partitions: [2, 0, 1].map((partition) => ({partition, leader: 1, replicas: [1], isr: [1]}))}
      : {name, topicId: 'x', errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, internal: false, partitions: []})
  },
}

describe('partition selection', () => {
  it('selects every partition in order, or the one asked for', async () => {
    expect(await selectPartitions(admin, 't', undefined)).to.deep.equal({all: [0, 1, 2], selected: [0, 1, 2]})
    expect(await selectPartitions(admin, 't', 1)).to.deep.equal({all: [0, 1, 2], selected: [1]})
  })

  it('refuses a partition the topic lacks as a usage error, and a missing topic in topics\' words', async () => {
    const lacking = await selectPartitions(admin, 't', 3).catch((error: unknown) => error)
    expect(lacking).to.be.instanceOf(UsageError)
    expect((lacking as Error).message).to.equal('topic t has no partition 3 (it has 3)')
    const missing = await selectPartitions(admin, 'ghost', undefined).catch((error: unknown) => error)
    expect(missing).to.include({code: UNKNOWN_TOPIC, message: "topic 'ghost' does not exist"})
  })
})
