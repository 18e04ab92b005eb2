"""Interop driver for confluent-kafka-python (librdkafka), run with /usr/bin/python3.

  produce BOOTSTRAP TOPIC CODEC   reads record lines (JSON) on stdin, sends them, flushes
  acked BOOTSTRAP TOPIC ACKS TAG  sends "TAG-N" values until killed; prints "partition offset value"
                                  for each acknowledged record as soon as its delivery report arrives
  consume BOOTSTRAP COUNTS        COUNTS = JSON {topic: count}: assign mode from the beginning of
                                  every partition of those topics, prints that many records of each

Same record lines as kafka_python_client.py: payloads in base64, byte for byte.
"""
import base64
import json
import sys

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaException, Producer, TopicPartition


def unb64(text):
    return None if text is None else base64.b64decode(text)


def b64(data):
    return None if data is None else base64.b64encode(data).decode('ascii')


def produce(bootstrap, topic, codec):
    errors = []

    def on_delivery(err, _msg):
        if err is not None:
            errors.append(str(err))

    producer = Producer({'bootstrap.servers': bootstrap, 'compression.type': codec, 'linger.ms': 5,
                         'acks': 'all'})
    for line in sys.stdin:
        record = json.loads(line)
        kwargs = {'key': unb64(record['key']), 'value': unb64(record['value']),
                  'headers': [(name, unb64(value)) for name, value in record['headers']],
                  'on_delivery': on_delivery}
        if record['partition'] is not None:
            kwargs['partition'] = record['partition']
        producer.produce(topic, **kwargs)
    remaining = producer.flush(30)
    if remaining or errors:
        sys.exit('confluent-kafka delivery failed: %d undelivered, errors %s' % (remaining, errors[:3]))


def produce_acked(bootstrap, topic, acks, tag):
    def on_delivery(err, msg):
        if err is None:
            sys.stdout.write('%d %d %s\n' % (msg.partition(), msg.offset(), msg.value().decode()))
            sys.stdout.flush()

    producer = Producer({'bootstrap.servers': bootstrap, 'acks': acks, 'linger.ms': 2,
                         'message.timeout.ms': 60000})
    seq = 0
    while True:
        try:
            producer.produce(topic, value=('%s-%d' % (tag, seq)).encode(), on_delivery=on_delivery)
            seq += 1
        except BufferError:
            pass
        producer.poll(0 if seq % 100 else 0.001)


def consume(bootstrap, counts):
    consumer = Consumer({'bootstrap.servers': bootstrap, 'group.id': 'weir-interop-assign',
                         'enable.auto.commit': False})
    assignment = []
    for topic in counts:
        metadata = consumer.list_topics(topic, timeout=10)
        assignment += [TopicPartition(topic, p, OFFSET_BEGINNING)
                       for p in sorted(metadata.topics[topic].partitions)]
    consumer.assign(assignment)
    total = sum(counts.values())
    seen = 0
    misses = 0
    while seen < total and misses < 60:
        msg = consumer.poll(0.5)
        if msg is None:
            misses += 1
            continue
        if msg.error():
            raise KafkaException(msg.error())
        print(json.dumps({'topic': msg.topic(), 'partition': msg.partition(), 'offset': msg.offset(),
                          'key': b64(msg.key()), 'value': b64(msg.value()),
                          'headers': [[name, b64(value)] for name, value in (msg.headers() or [])]}))
        seen += 1
    consumer.close()
    if seen < total:
        sys.exit('confluent-kafka read %d of %d records' % (seen, total))


if __name__ == '__main__':
    if sys.argv[1] == 'produce':
        produce(*sys.argv[2:5])
    elif sys.argv[1] == 'acked':
        produce_acked(*sys.argv[2:6])
    else:
        consume(sys.argv[2], json.loads(sys.argv[3]))
