"""One member of a Kafka consumer group, for Weir's group interop tests; run with /usr/bin/python3.

  group_member.py CLIENT BOOTSTRAP GROUP TOPIC STRATEGY SESSION_MS

CLIENT is confluent_kafka (librdkafka) or kafka_python; STRATEGY is range or cooperative-sticky
(kafka-python 2.0.2 has no cooperative assignor: range only). The member subscribes to TOPIC in
GROUP, starts at the earliest offset when the group has no committed offset, and commits every
record synchronously right after printing it, so that what it printed is what it committed.

stdout, one JSON object a line, flushed at once:
  {"event": "assigned", "partitions": [p, ...]}      after each rebalance (the whole assignment)
  {"event": "record", "partition": p, "offset": o, "value": "..."}
  {"event": "closed"}                                 after a clean close (commit + LeaveGroup)
When stdin reaches its end the member closes cleanly and exits 0; a SIGKILL is a crash.
"""
import json
import sys
import threading

POLL_S = 0.1
HEARTBEAT_MS = 500


def emit(event):
    sys.stdout.write(json.dumps(event) + '\n')
    sys.stdout.flush()


def watch_stdin():
    """An event set once stdin is at its end: the test's way to ask for a clean close."""
    done = threading.Event()

    def wait():
        sys.stdin.read()
        done.set()

    threading.Thread(target=wait, daemon=True).start()
    return done


def run_confluent(bootstrap, group, topic, strategy, session_ms, stop):
    from confluent_kafka import Consumer, KafkaException

    owned = set()

    def on_assign(consumer, partitions):
        owned.update(p.partition for p in partitions)
        emit({'event': 'assigned', 'partitions': sorted(owned)})

    def on_revoke(consumer, partitions):
        # Eager protocols revoke everything; cooperative-sticky only what moves.
        owned.difference_update(p.partition for p in partitions)

    consumer = Consumer({
        'bootstrap.servers': bootstrap, 'group.id': group, 'client.id': 'confluent-member',
        'auto.offset.reset': 'earliest', 'enable.auto.commit': False,
        'partition.assignment.strategy': strategy,
        'session.timeout.ms': session_ms, 'heartbeat.interval.ms': HEARTBEAT_MS,
    })
    consumer.subscribe([topic], on_assign=on_assign, on_revoke=on_revoke)
    while not stop.is_set():
        msg = consumer.poll(POLL_S)
        if msg is None:
            continue
        if msg.error():
            raise KafkaException(msg.error())
        emit({'event': 'record', 'partition': msg.partition(), 'offset': msg.offset(), 'value': msg.value().decode()})
        consumer.commit(message=msg, asynchronous=False)
    consumer.close()


def run_kafka_python(bootstrap, group, topic, strategy, session_ms, stop):
    from kafka import KafkaConsumer, ConsumerRebalanceListener
    from kafka.coordinator.assignors.range import RangePartitionAssignor

    if strategy != 'range':
        sys.exit('kafka-python 2.0.2 has no %s assignor' % strategy)

    class Listener(ConsumerRebalanceListener):
        def on_partitions_revoked(self, revoked):
            pass

        def on_partitions_assigned(self, assigned):
            emit({'event': 'assigned', 'partitions': sorted(tp.partition for tp in assigned)})

    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap, group_id=group, client_id='kafka-python-member',
        auto_offset_reset='earliest', enable_auto_commit=False,
        partition_assignment_strategy=[RangePartitionAssignor],
        session_timeout_ms=session_ms, heartbeat_interval_ms=HEARTBEAT_MS)
    consumer.subscribe([topic], listener=Listener())
    while not stop.is_set():
        batches = consumer.poll(timeout_ms=int(POLL_S * 1000))
        for tp, messages in batches.items():
            for msg in messages:
                emit({'event': 'record', 'partition': tp.partition, 'offset': msg.offset, 'value': msg.value.decode()})
        if batches:
            consumer.commit()
    consumer.close()


def main():
    client, bootstrap, group, topic, strategy, session_ms = sys.argv[1:7]
    stop = watch_stdin()
    run = run_confluent if client == 'confluent_kafka' else run_kafka_python
    run(bootstrap, group, topic, strategy, int(session_ms), stop)
    emit({'event': 'closed'})


if __name__ == '__main__':
    main()
