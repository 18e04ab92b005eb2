"""Timestamps and offset resets with confluent-kafka-python (librdkafka), run with /usr/bin/python3.

  produce-timed BOOTSTRAP TOPIC
      Each stdin line is a JSON list of records {"partition", "value", "timestamp"} (CreateTime, ms)
      sent together and flushed before the next line, so every line is at least one batch.
      Prints the JSON list [[partition, offset, value]] of the delivery reports.

  reset BOOTSTRAP TOPIC PARTITION OFFSET POLICY APPEND
      Assigns TOPIC[PARTITION] at OFFSET with auto.offset.reset=POLICY (earliest, latest or error).
      Once librdkafka's fetcher is past any reset (it delivered a record, or its statistics show the
      partition fetching from an offset at or above the log start read before the assignment), sends
      APPEND records "appended-N" to the partition, then reads until the consumer has every record up
      to the new high watermark. With POLICY error it stops at the first consumer error instead.
      Prints {"fetchingFrom": offset, "records": [[offset, value]], "error": null | {"code", "name",
      "message"}}.

The statistics make the wait deterministic: a record appended before the fetcher settles on the log
end could be skipped by a reset to latest, and a sleep would only make that unlikely.
"""
import json
import sys
import time

from confluent_kafka import Consumer, Producer, TopicPartition

DEADLINE_S = 30
STATS_INTERVAL_MS = 20


def produce_timed(bootstrap, topic):
    delivered = []
    failures = []

    def on_delivery(err, msg):
        if err is not None:
            failures.append(str(err))
        else:
            delivered.append([msg.partition(), msg.offset(), msg.value().decode()])

    producer = Producer({'bootstrap.servers': bootstrap, 'acks': 'all', 'linger.ms': 5})
    for line in sys.stdin:
        for record in json.loads(line):
            producer.produce(topic, value=record['value'].encode(), partition=record['partition'],
                             timestamp=record['timestamp'], on_delivery=on_delivery)
        if producer.flush(20) != 0:
            failures.append('undelivered records after 20 s')
    if failures:
        sys.exit('confluent-kafka delivery failed: %s' % failures[:3])
    print(json.dumps(sorted(delivered)))


class FetchState:
    """The partition's fetch position as librdkafka's statistics last reported it."""

    def __init__(self, topic, partition):
        self.topic = topic
        self.partition = str(partition)
        self.next_offset = None

    def on_stats(self, text):
        stats = json.loads(text)
        partition = stats['topics'].get(self.topic, {}).get('partitions', {}).get(self.partition)
        if partition is not None and partition['fetch_state'] == 'active':
            self.next_offset = partition['next_offset']


def settled_at(fetch, log_start, records):
    """Where the fetcher reads from once past any reset: the first record it delivered, or else the
    position its statistics report once that is at or above the log start."""
    if records:
        return records[0][0]
    if fetch.next_offset is not None and fetch.next_offset >= log_start:
        return fetch.next_offset
    return None


def append(bootstrap, topic, partition, count):
    producer = Producer({'bootstrap.servers': bootstrap, 'acks': 'all'})
    for i in range(count):
        producer.produce(topic, value=b'appended-%d' % i, partition=partition)
    if producer.flush(20) != 0:
        sys.exit('appending %d records failed' % count)


def reset(bootstrap, topic, partition, offset, policy, appended):
    fetch = FetchState(topic, partition)
    consumer = Consumer({'bootstrap.servers': bootstrap, 'group.id': 'weir-interop-reset-' + policy,
                         'enable.auto.commit': False, 'auto.offset.reset': policy,
                         'statistics.interval.ms': STATS_INTERVAL_MS, 'stats_cb': fetch.on_stats})
    log_start, high = consumer.get_watermark_offsets(TopicPartition(topic, partition), timeout=10)
    consumer.assign([TopicPartition(topic, partition, offset)])
    answer = {'fetchingFrom': None, 'records': [], 'error': None}
    deadline = time.time() + DEADLINE_S
    while time.time() < deadline:
        if answer['fetchingFrom'] is None:
            answer['fetchingFrom'] = settled_at(fetch, log_start, answer['records'])
            if answer['fetchingFrom'] is not None:
                append(bootstrap, topic, partition, appended)
                high += appended
        position = answer['records'][-1][0] + 1 if answer['records'] else answer['fetchingFrom']
        if position is not None and position >= high:
            break
        msg = consumer.poll(0.1)
        if msg is None:
            continue
        if msg.error():
            error = msg.error()
            answer['error'] = {'code': error.code(), 'name': error.name(), 'message': error.str()}
            break
        answer['records'].append([msg.offset(), msg.value().decode()])
    consumer.close()
    print(json.dumps(answer))


if __name__ == '__main__':
    if sys.argv[1] == 'produce-timed':
        produce_timed(*sys.argv[2:4])
    elif sys.argv[1] == 'reset':
        reset(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6], int(sys.argv[7]))
    else:
        sys.exit('unknown command %s' % sys.argv[1])
