import {expect} from 'chai'
import {BROKER_CONFIG_DEFINITIONS, BROKER_CONFIGS} from '../../src/broker/broker-config-definitions.js'
import {BrokerSettings} from '../../src/broker/broker-settings.js'
import {ConfigSource, ConfigType} from '../../src/broker/config-definition.js'
import {brokerConfigEntries, topicConfigEntries, topicConfigValue} from '../../src/broker/config-entries.js'
import {BrokerConfigError} from '../../src/broker/errors.js'
import {TOPIC_CONFIG_DEFINITIONS} from '../../src/broker/topic-config-definitions.js'

describe('broker configs', () => {
  it('has every broker synonym of a topic config, and every default passes its own check', () => {
    for (const topic of TOPIC_CONFIG_DEFINITIONS) {
      for (const synonym of topic.brokerSynonyms) expect(BROKER_CONFIGS.get(synonym.name)?.topicConfig?.name, synonym.name).to.equal(topic.name)
    }
    for (const definition of BROKER_CONFIG_DEFINITIONS) {
      if (definition.defaultValue !== null) expect(definition.check(definition.defaultValue), definition.name).to.equal(null)
    }
    expect(BROKER_CONFIGS.get('log.retention.hours')).to.include({defaultValue: '168', type: ConfigType.INT})
    expect(BROKER_CONFIGS.get('log.retention.ms')).to.include({defaultValue: null, type: ConfigType.LONG})
  })

  it('reads its own settings with their defaults', () => {
    expect(BrokerSettings.DEFAULTS).to.include({autoCreateTopics: true, numPartitions: 1, retentionCheckIntervalMs: 300_000, cleanerBackoffMs: 15_000,
      producerIdExpirationMs: 86_400_000})
    const settings = BrokerSettings.from({'auto.create.topics.enable': 'FALSE', 'num.partitions': ' 3 ', 'log.retention.check.interval.ms': '1000',
      'log.cleaner.backoff.ms': '250', 'producer.id.expiration.ms': '60000'})
    expect(settings).to.include({autoCreateTopics: false, numPartitions: 3, retentionCheckIntervalMs: 1000, cleanerBackoffMs: 250,
      producerIdExpirationMs: 60_000})
    expect(settings.topicDefaults()).to.deep.equal({})
  })

  it('refuses an unknown key or a bad value, naming it', () => {
    const refusal = (configs: Record<string, string>): BrokerConfigError => {
      try {
        BrokerSettings.from(configs)
      } catch (error) {
        return error as BrokerConfigError
      }
      throw new Error('accepted')
    }
    expect(refusal({'retention.ms': '1'})).to.include({key: 'retention.ms', message: 'unknown broker config "retention.ms"'})
    expect(refusal({'log.segment.bytes': '1000'}).message).to.match(/log.segment.bytes=1000 must be at least 1048576/)
    expect(refusal({'num.partitions': '0'}).key).to.equal('num.partitions')
    expect(refusal({'log.cleaner.backoff.ms': '0'}).message).to.match(/log.cleaner.backoff.ms=0 must be at least 1/)
    expect(refusal({'default.replication.factor': '3'}).message).to.match(/must be 1: Weir is one node/)
    expect(refusal({'log.retention.hours': 'week'}).message).to.match(/must be an integer/)
  })

  it('maps broker settings to topic defaults in milliseconds, the finest unit set winning', () => {
    expect(BrokerSettings.DEFAULTS.topicDefaults()).to.deep.equal({})
    expect(BrokerSettings.from({'log.retention.hours': '2', 'log.roll.hours': '1', 'log.segment.bytes': '2097152'}).topicDefaults())
      .to.deep.equal({'retention.ms': '7200000', 'segment.ms': '3600000', 'segment.bytes': '2097152'})
    expect(BrokerSettings.from({'log.retention.hours': '2', 'log.retention.minutes': '5'}).topicDefaults()).to.deep.equal({'retention.ms': '300000'})
    expect(BrokerSettings.from({'log.retention.minutes': '5', 'log.retention.ms': '10'}).topicDefaults()).to.deep.equal({'retention.ms': '10'})
    expect(BrokerSettings.from({'log.retention.hours': '-1'}).topicDefaults()).to.deep.equal({'retention.ms': '-1'})
    expect(BrokerSettings.from({'message.max.bytes': '2048'}).topicDefaults()).to.deep.equal({'max.message.bytes': '2048'})
  })
})

describe('config entries', () => {
  const settings = BrokerSettings.from({'log.retention.hours': '2', 'log.cleanup.policy': 'compact'})

  it('gives a topic config its override, else the broker setting, else the default', () => {
    expect(topicConfigValue('retention.ms', {'retention.ms': '5'}, settings)).to.equal('5')
    expect(topicConfigValue('retention.ms', {}, settings)).to.equal('7200000')
    expect(topicConfigValue('segment.ms', {}, settings)).to.equal('604800000')
  })

  it('lists every topic config with its source and synonyms, in Kafka\'s order', () => {
    const entries = topicConfigEntries({'retention.ms': '5'}, settings)
    expect(entries.map(e => e.name)).to.deep.equal(TOPIC_CONFIG_DEFINITIONS.map(d => d.name))
    expect(entries.find(e => e.name === 'retention.ms')).to.deep.include({value: '5', source: ConfigSource.TOPIC_CONFIG, readOnly: false,
      type: ConfigType.LONG, synonyms: [
        {name: 'retention.ms', value: '5', source: ConfigSource.TOPIC_CONFIG},
        {name: 'log.retention.hours', value: '2', source: ConfigSource.STATIC_BROKER_CONFIG},
        {name: 'log.retention.hours', value: '168', source: ConfigSource.DEFAULT_CONFIG},
      ]})
    expect(entries.find(e => e.name === 'cleanup.policy')).to.deep.include({value: 'compact', source: ConfigSource.STATIC_BROKER_CONFIG})
    expect(entries.find(e => e.name === 'segment.ms')).to.deep.include({value: '604800000', source: ConfigSource.DEFAULT_CONFIG,
      synonyms: [{name: 'log.roll.hours', value: '168', source: ConfigSource.DEFAULT_CONFIG}]})
    expect(entries.find(e => e.name === 'remote.log.copy.disable')).to.deep.include({value: 'false', source: ConfigSource.DEFAULT_CONFIG, synonyms: []})
  })

  it('lists the broker configs, read-only, each with the synonyms from its own on', () => {
    const entries = brokerConfigEntries(BrokerSettings.from({'log.retention.ms': '1000'}))
    expect(entries.every(e => e.readOnly)).to.equal(true)
    expect(entries.find(e => e.name === 'log.retention.ms')).to.deep.include({value: '1000', source: ConfigSource.STATIC_BROKER_CONFIG,
      synonyms: [{name: 'log.retention.ms', value: '1000', source: ConfigSource.STATIC_BROKER_CONFIG},
        {name: 'log.retention.hours', value: '168', source: ConfigSource.DEFAULT_CONFIG}]})
    expect(entries.find(e => e.name === 'log.retention.hours')).to.deep.include({value: '168', source: ConfigSource.DEFAULT_CONFIG,
      synonyms: [{name: 'log.retention.hours', value: '168', source: ConfigSource.DEFAULT_CONFIG}]})
    expect(entries.find(e => e.name === 'log.retention.minutes')).to.deep.include({value: null, source: ConfigSource.DEFAULT_CONFIG, synonyms: []})
    expect(entries.find(e => e.name === 'num.partitions')).to.deep.include({value: '1', synonyms: [{name: 'num.partitions', value: '1', source: ConfigSource.DEFAULT_CONFIG}]})
  })
})
