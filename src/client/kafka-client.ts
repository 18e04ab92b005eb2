// The client's entry point: one cluster view and connection pool, shared by the admin, producers and
// consumers made from it.
import {parseHostPort, type BrokerAddress} from './address.js'
import {Admin} from './admin.js'
import {Cluster} from './cluster.js'
import {Consumer, type ConsumerOptions} from './consumer.js'
import {WeirError} from './errors.js'
import {GroupConsumer, type GroupConsumerOptions} from './group-consumer.js'
import {Producer, type ProducerOptions} from './producer.js'

export interface ClientOptions {
  /** The local daemon's Unix socket; every broker node maps to it. Takes precedence over bootstrapServers. */
  socket?: string
  /** "host:port" addresses of Kafka brokers, tried in order. */
  bootstrapServers?: string[]
  clientId?: string
  /** Default 30000. */
  requestTimeoutMs?: number
}

export class KafkaClient {
  private readonly producers = new Set<Producer>()
  private readonly consumers = new Set<Consumer | GroupConsumer>()

  private constructor(private readonly cluster: Cluster) {}

  /** Connects to the daemon or the first reachable bootstrap server and reads the broker list. */
  static async connect(options: ClientOptions): Promise<KafkaClient> {
    const cluster = await Cluster.connect({
      bootstrap: bootstrapAddresses(options),
      clientId: options.clientId ?? 'weir',
      requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    })
    return new KafkaClient(cluster)
  }

  admin(): Admin {
    return new Admin(this.cluster)
  }

  producer(options?: ProducerOptions): Producer {
    const producer = new Producer(this.cluster, options)
    this.producers.add(producer)
    return producer
  }

  consumer(options?: ConsumerOptions): Consumer {
    const consumer = new Consumer(this.cluster, options)
    this.consumers.add(consumer)
    return consumer
  }

  /** A member of a consumer group; it joins the group when its batches() are first read. */
  groupConsumer(options: GroupConsumerOptions): GroupConsumer {
    const consumer = new GroupConsumer(this.cluster, options)
    this.consumers.add(consumer)
    return consumer
  }

  /**
   * Closes consumers (group members commit and leave), then producers (which flush; their delivery errors are for whoever called their
   * own flush or close), then every connection.
   */
  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((consumer) => consumer.close()))
    await Promise.all([...this.producers].map((producer) => producer.close().catch(() => undefined)))
    this.cluster.close()
  }
}

function bootstrapAddresses(options: ClientOptions): BrokerAddress[] {
  if (options.socket) return [{kind: 'unix', path: options.socket}]
  const servers = options.bootstrapServers ?? []
  if (servers.length === 0) {
    throw new WeirError('WEIR_ERR_NO_BOOTSTRAP', 'no broker to connect to: give a socket or bootstrap servers', {
      hint: 'use --socket PATH or --bootstrap-server HOST:PORT',
    })
  }
  return servers.map(parseHostPort)
}
