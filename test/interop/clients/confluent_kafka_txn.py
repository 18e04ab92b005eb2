"""confluent-kafka (librdkafka) for Weir's exactly-once interop tests; run with /usr/bin/python3.

  transactional BOOTSTRAP TXN_ID [TXN_TIMEOUT_MS]
                                  a transactional producer driven by JSON commands on stdin, one a
                                  line, each answered on stdout once done:
                                    {"op": "begin"} | {"op": "commit"} | {"op": "abort"} | {"op": "flush"}
                                    {"op": "send", "records": [{"topic", "partition", "value"}, ...]}
                                  answers {"event": "done", "op": ...} or {"event": "error", "op": ...,
                                  "error": ..., "fatal": bool, "abortable": bool}; init_transactions
                                  runs first and is answered {"event": "ready"}. Exits 0 at stdin's end.
  consume BOOTSTRAP ISOLATION TOPIC...
                                  assign mode from the beginning of every partition of the topics with
                                  isolation.level ISOLATION (read_committed | read_uncommitted); prints
                                  each record as a JSON line and exits once every partition reported
                                  its end (librdkafka's end is the last stable offset in read_committed)
  idempotent BOOTSTRAP TOPIC TAG RATE
                                  enable.idempotence=true, acks=all: sends "TAG-N" to partition 0 at
                                  RATE records a second until killed, printing "OFFSET VALUE" for each
                                  record its delivery report says was acknowledged
  transform BOOTSTRAP INPUT OUTPUT GROUP TXN_ID BATCH [HANG_AFTER HANG_AT]
                                  a consume-transform-produce loop: reads INPUT read_committed in GROUP,
                                  writes "<value>|out" with the same key to OUTPUT, and commits the
                                  input offsets with send_offsets_to_transaction in the same
                                  transaction, at most BATCH records a transaction; prints
                                  {"event": "committed", "records": n} after each commit. Runs until
                                  killed (or stdin's end). With HANG_AFTER n, after n commits it
                                  stops inside the next transaction — at HANG_AT "produced" (its
                                  records flushed to the log) or "offsets" (send_offsets_to_transaction
                                  done too) — prints {"event": "hanging"} and waits to be killed.
"""
import base64
import json
import sys
import threading
import time

from confluent_kafka import (OFFSET_BEGINNING, Consumer, KafkaError, KafkaException, Producer,
                             TopicPartition)

TIMEOUT_S = 60


def emit(event):
    sys.stdout.write(json.dumps(event) + '\n')
    sys.stdout.flush()


def b64(data):
    return None if data is None else base64.b64encode(data).decode('ascii')


def error_event(op, exc):
    err = exc.args[0] if exc.args and isinstance(exc.args[0], KafkaError) else None
    return {'event': 'error', 'op': op, 'error': str(exc),
            'fatal': bool(err and err.fatal()), 'abortable': bool(err and err.txn_requires_abort())}


# ---- transactional producer --------------------------------------------------------------

def transactional(bootstrap, txn_id, txn_timeout_ms='60000'):
    failures = []

    def on_delivery(err, _msg):
        if err is not None:
            failures.append(str(err))

    producer = Producer({'bootstrap.servers': bootstrap, 'transactional.id': txn_id,
                         'transaction.timeout.ms': int(txn_timeout_ms),
                         'client.id': 'confluent-txn', 'linger.ms': 5})
    producer.init_transactions(TIMEOUT_S)
    emit({'event': 'ready'})
    for line in sys.stdin:
        if line.strip() == '':
            continue
        command = json.loads(line)
        op = command['op']
        try:
            if op == 'begin':
                producer.begin_transaction()
            elif op == 'send':
                for record in command['records']:
                    producer.produce(record['topic'], partition=record['partition'],
                                     key=record.get('key', '').encode() or None,
                                     value=record['value'].encode(), on_delivery=on_delivery)
            elif op == 'flush':
                if producer.flush(TIMEOUT_S) != 0:
                    raise RuntimeError('records left unsent after %d s' % TIMEOUT_S)
            elif op == 'commit':
                producer.commit_transaction(TIMEOUT_S)
            elif op == 'abort':
                producer.abort_transaction(TIMEOUT_S)
            else:
                raise ValueError('unknown op %s' % op)
            if failures:
                raise RuntimeError('delivery failed: %s' % failures[:3])
            emit({'event': 'done', 'op': op})
        except KafkaException as exc:
            emit(error_event(op, exc))
        except RuntimeError as exc:
            emit({'event': 'error', 'op': op, 'error': str(exc), 'fatal': False, 'abortable': False})


# ---- consumer ----------------------------------------------------------------------------

def consume(bootstrap, isolation, topics):
    consumer = Consumer({'bootstrap.servers': bootstrap, 'group.id': 'weir-interop-txn-assign',
                         'enable.auto.commit': False, 'enable.partition.eof': True,
                         'isolation.level': isolation})
    assignment = []
    for topic in topics:
        metadata = consumer.list_topics(topic, timeout=10)
        assignment += [TopicPartition(topic, p, OFFSET_BEGINNING)
                       for p in sorted(metadata.topics[topic].partitions)]
    consumer.assign(assignment)
    waiting = {(tp.topic, tp.partition) for tp in assignment}
    deadline = time.monotonic() + TIMEOUT_S
    while waiting and time.monotonic() < deadline:
        msg = consumer.poll(0.5)
        if msg is None:
            continue
        if msg.error():
            if msg.error().code() == KafkaError._PARTITION_EOF:
                waiting.discard((msg.topic(), msg.partition()))
                continue
            raise KafkaException(msg.error())
        print(json.dumps({'topic': msg.topic(), 'partition': msg.partition(), 'offset': msg.offset(),
                          'key': b64(msg.key()), 'value': b64(msg.value()),
                          'headers': [[name, b64(value)] for name, value in (msg.headers() or [])]}))
    consumer.close()
    if waiting:
        sys.exit('confluent-kafka never reached the end of %s' % sorted(waiting))


# ---- idempotent producer -----------------------------------------------------------------

def idempotent(bootstrap, topic, tag, rate):
    per_second = int(rate)

    def on_delivery(err, msg):
        if err is None:
            sys.stdout.write('%d %s\n' % (msg.offset(), msg.value().decode()))
            sys.stdout.flush()
        else:
            sys.stderr.write('delivery failed: %s\n' % err)
            sys.stderr.flush()

    def on_error(err):
        sys.stderr.write('client error: %s\n' % err)
        sys.stderr.flush()
        if err.fatal():
            # A fatal idempotence error: the producer can send nothing more.
            sys.exit('fatal: %s' % err)

    producer = Producer({'bootstrap.servers': bootstrap, 'enable.idempotence': True, 'acks': 'all',
                         'linger.ms': 2, 'message.timeout.ms': 120000,
                         'reconnect.backoff.ms': 50, 'reconnect.backoff.max.ms': 500,
                         'error_cb': on_error})
    seq = 0
    started = time.monotonic()
    while True:
        if seq >= per_second * (time.monotonic() - started):
            producer.poll(0.005)
            continue
        try:
            producer.produce(topic, partition=0, value=('%s-%d' % (tag, seq)).encode(), on_delivery=on_delivery)
            seq += 1
        except BufferError:
            producer.poll(0.01)
        producer.poll(0)


# ---- consume-transform-produce -----------------------------------------------------------

def stdin_closed():
    done = threading.Event()

    def wait():
        sys.stdin.read()
        done.set()

    threading.Thread(target=wait, daemon=True).start()
    return done


def rewind(consumer):
    """After an abort, go back to the committed offsets: the aborted batch is read again."""
    committed = consumer.committed(consumer.assignment(), TIMEOUT_S)
    for tp in committed:
        consumer.seek(TopicPartition(tp.topic, tp.partition, tp.offset if tp.offset >= 0 else OFFSET_BEGINNING))


def hang(stop):
    emit({'event': 'hanging'})
    stop.wait()
    sys.exit(0)


def transform(bootstrap, input_topic, output_topic, group, txn_id, batch, hang_after='-1', hang_at='produced'):
    stop = stdin_closed()
    commits = 0
    producer = Producer({'bootstrap.servers': bootstrap, 'transactional.id': txn_id,
                         'client.id': 'confluent-transform', 'linger.ms': 5})
    producer.init_transactions(TIMEOUT_S)
    consumer = Consumer({'bootstrap.servers': bootstrap, 'group.id': group, 'client.id': 'confluent-transform',
                         'isolation.level': 'read_committed', 'enable.auto.commit': False,
                         'auto.offset.reset': 'earliest', 'session.timeout.ms': 6000,
                         'heartbeat.interval.ms': 500})
    consumer.subscribe([input_topic])
    emit({'event': 'ready'})
    while not stop.is_set():
        messages = [m for m in consumer.consume(int(batch), 0.5) if not m.error()]
        if not messages:
            continue
        producer.begin_transaction()
        for msg in messages:
            producer.produce(output_topic, partition=msg.partition(), key=msg.key(),
                             value=msg.value() + b'|out')
        # The records reach the log before the offsets are sent: a kill from here on leaves records
        # of an open transaction behind, for the restart to abort.
        producer.flush(TIMEOUT_S)
        hanging = commits == int(hang_after)
        if hanging and hang_at == 'produced':
            hang(stop)
        try:
            producer.send_offsets_to_transaction(consumer.position(consumer.assignment()),
                                                 consumer.consumer_group_metadata(), TIMEOUT_S)
            if hanging:
                hang(stop)
            producer.commit_transaction(TIMEOUT_S)
        except KafkaException as exc:
            if not exc.args[0].txn_requires_abort():
                raise
            emit(error_event('commit', exc))
            producer.abort_transaction(TIMEOUT_S)
            rewind(consumer)
            continue
        commits += 1
        emit({'event': 'committed', 'records': len(messages)})
    consumer.close()


if __name__ == '__main__':
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == 'transactional':
        transactional(*args[:3])
    elif mode == 'consume':
        consume(args[0], args[1], args[2:])
    elif mode == 'idempotent':
        idempotent(*args[:4])
    elif mode == 'transform':
        transform(*args[:8])
    else:
        sys.exit('unknown mode %s' % mode)
