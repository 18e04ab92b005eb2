"""A consumer group's lag as kafka-python 2.0.2's admin client sees it; run with /usr/bin/python3.

  kafka_python_lag.py BOOTSTRAP GROUP

Reads the group's committed offsets (KafkaAdminClient.list_consumer_group_offsets, OffsetFetch) and the
end offsets of those partitions (KafkaConsumer.end_offsets, ListOffsets), and prints the JSON list
[[topic, partition, committed, end, lag]] sorted by topic and partition, lag = end - committed.
"""
import json
import sys

from kafka import KafkaAdminClient, KafkaConsumer


def main():
    bootstrap, group = sys.argv[1:3]
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id='kafka-python-lag')
    committed = admin.list_consumer_group_offsets(group)
    admin.close()
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False)
    ends = consumer.end_offsets(list(committed.keys()))
    consumer.close()
    rows = sorted([tp.topic, tp.partition, meta.offset, ends[tp], ends[tp] - meta.offset] for tp, meta in committed.items())
    print(json.dumps(rows))


if __name__ == '__main__':
    main()
