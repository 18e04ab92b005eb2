"""What `weir consumer-groups describe --all-groups` does, with kafka-python 2.0.2's admin client, as the
baseline of bench/groups.ts; run with /usr/bin/python3.

  kafka_python_describe_groups.py BOOTSTRAP

Lists every group, describes them (members and assignments), fetches each group's committed offsets and the
end offsets of those partitions, and prints one line per partition: group topic partition committed end lag.
"""
import sys

from kafka import KafkaAdminClient, KafkaConsumer


def main():
    bootstrap = sys.argv[1]
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id='kafka-python-describe')
    groups = sorted(group for group, _ in admin.list_consumer_groups())
    admin.describe_consumer_groups(groups)
    committed = {group: admin.list_consumer_group_offsets(group) for group in groups}
    admin.close()
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False)
    partitions = {tp for offsets in committed.values() for tp in offsets}
    ends = consumer.end_offsets(list(partitions))
    consumer.close()
    for group in groups:
        for tp, meta in sorted(committed[group].items()):
            print(group, tp.topic, tp.partition, meta.offset, ends[tp], ends[tp] - meta.offset)


if __name__ == '__main__':
    main()
