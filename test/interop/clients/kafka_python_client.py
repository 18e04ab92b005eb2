"""Interop driver for kafka-python (Debian's python3-kafka, run with /usr/bin/python3).

  produce BOOTSTRAP TOPIC CODEC   reads record lines (JSON) on stdin, sends them, flushes
  consume BOOTSTRAP COUNTS        COUNTS = JSON {topic: count}: assigns every partition of those
                                  topics, seeks to the beginning, prints that many records of each

Record lines: {"partition": int|null, "key": b64|null, "value": b64|null, "headers": [[name, b64|null]]}.
Consumed lines add "offset". Every payload travels as base64 so the comparison is byte for byte.
"""
import base64
import json
import sys
import time

from kafka import KafkaConsumer, KafkaProducer, TopicPartition


def unb64(text):
    return None if text is None else base64.b64decode(text)


def b64(data):
    return None if data is None else base64.b64encode(data).decode('ascii')


def produce(bootstrap, topic, codec):
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks=1, linger_ms=5,
                             compression_type=None if codec == 'none' else codec)
    futures = []
    for line in sys.stdin:
        record = json.loads(line)
        headers = [(name, unb64(value)) for name, value in record['headers']]
        futures.append(producer.send(topic, key=unb64(record['key']), value=unb64(record['value']),
                                     headers=headers, partition=record['partition']))
    producer.flush()
    for future in futures:
        future.get(timeout=30)
    producer.close()


def consume(bootstrap, counts):
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False)
    partitions = [TopicPartition(topic, p) for topic in counts
                  for p in sorted(consumer.partitions_for_topic(topic) or [0])]
    consumer.assign(partitions)
    for partition in partitions:
        consumer.seek(partition, 0)
    total = sum(counts.values())
    seen = 0
    deadline = time.time() + 60
    while seen < total and time.time() < deadline:
        for records in consumer.poll(timeout_ms=500).values():
            for msg in records:
                print(json.dumps({'topic': msg.topic, 'partition': msg.partition, 'offset': msg.offset,
                                  'key': b64(msg.key), 'value': b64(msg.value),
                                  'headers': [[name, b64(value)] for name, value in msg.headers]}))
                seen += 1
    consumer.close()
    if seen < total:
        sys.exit('kafka-python read %d of %d records' % (seen, total))


if __name__ == '__main__':
    if sys.argv[1] == 'produce':
        produce(*sys.argv[2:5])
    else:
        consume(sys.argv[2], json.loads(sys.argv[3]))
