"""A confluent-kafka (librdkafka) producer for the crash tests, run with /usr/bin/python3.

  crash_producer.py BOOTSTRAP TOPIC TAG PAD RATE

Sends "TAG-N-<PAD x's>" to partition 0 with acks=all, RATE records a second, until killed, and prints "OFFSET VALUE" for
each record as soon as its delivery report says the broker acknowledged it: librdkafka reports
success only after the Produce response for that batch, and with acks=all the broker sends that
response only once the batch is on disk. Retries are off (retries=0) and idempotence is off (the
default), so a request whose response was lost is never sent again and cannot be appended twice.
"""
import sys
import time

from confluent_kafka import Producer


def main(bootstrap, topic, tag, pad, rate):
    padding = 'x' * int(pad)
    per_second = int(rate)

    def on_delivery(err, msg):
        if err is None:
            sys.stdout.write('%d %s\n' % (msg.offset(), msg.value().decode()))
            sys.stdout.flush()

    producer = Producer({'bootstrap.servers': bootstrap, 'acks': 'all', 'retries': 0,
                         'linger.ms': 2, 'message.timeout.ms': 60000})
    seq = 0
    started = time.monotonic()
    while True:
        if seq >= per_second * (time.monotonic() - started):
            producer.poll(0.005)
            continue
        try:
            producer.produce(topic, partition=0, value=('%s-%d-%s' % (tag, seq, padding)).encode(),
                             on_delivery=on_delivery)
            seq += 1
        except BufferError:
            producer.poll(0.01)
        producer.poll(0 if seq % 100 else 0.001)


if __name__ == '__main__':
    main(*sys.argv[1:6])
