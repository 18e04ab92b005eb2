"""confluent-kafka (librdkafka) producer for bench/exactly-once.ts; run with /usr/bin/python3.

  confluent_txn_produce.py BOOTSTRAP TOPIC COUNT SIZE TXN_SIZE [ABORT_EVERY]

Sends COUNT records of SIZE bytes to partition 0 of TOPIC with acks=all. TXN_SIZE 0: the idempotent
producer, no transactions (the baseline). TXN_SIZE N > 0: a transactional producer writing N records
per transaction; with ABORT_EVERY K > 0 every K-th transaction is aborted (after its records were
flushed, so they are in the log). Exits non-zero if anything was not delivered.
"""
import sys

from confluent_kafka import Producer

TIMEOUT_S = 120


def main(bootstrap, topic, count, size, txn_size, abort_every='0'):
    count, size, txn_size, abort_every = int(count), int(size), int(txn_size), int(abort_every)
    failures = []

    def on_delivery(err, _msg):
        if err is not None:
            failures.append(str(err))

    config = {'bootstrap.servers': bootstrap, 'acks': 'all', 'linger.ms': 5, 'enable.idempotence': True,
              'queue.buffering.max.messages': 1000000}
    if txn_size:
        config['transactional.id'] = 'bench-%s' % topic
    producer = Producer(config)
    # librdkafka looks an unknown topic up only once a second (confluentinc/librdkafka#3202); asking
    # for it first keeps that second out of the measurement.
    producer.list_topics(topic, timeout=10)
    if txn_size:
        producer.init_transactions(TIMEOUT_S)
    value = b'x' * size
    transaction = 0
    for start in range(0, count, txn_size or count):
        if txn_size:
            producer.begin_transaction()
        for _ in range(start, min(count, start + (txn_size or count))):
            while True:
                try:
                    producer.produce(topic, value=value, partition=0, on_delivery=on_delivery)
                    break
                except BufferError:
                    producer.poll(0.01)
            producer.poll(0)
        transaction += 1
        if txn_size and abort_every and transaction % abort_every == 0:
            producer.flush(TIMEOUT_S)
            producer.abort_transaction(TIMEOUT_S)
        elif txn_size:
            producer.commit_transaction(TIMEOUT_S)
    if producer.flush(TIMEOUT_S) or failures:
        sys.exit('delivery failed: %s' % failures[:3])


if __name__ == '__main__':
    main(*sys.argv[1:])
