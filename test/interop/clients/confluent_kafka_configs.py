"""Admin driver for confluent-kafka-python 1.7 (librdkafka), run with /usr/bin/python3.

  describe BOOTSTRAP TYPE NAME              DescribeConfigs of a topic or broker resource (librdkafka
                                            asks for synonyms); prints {"configs": {name: entry}} or
                                            {"error": ...}
  alter BOOTSTRAP TYPE NAME CONFIGS [validate]
                                            AlterConfigs: CONFIGS = JSON {name: value}, the resource's
                                            whole new set of overrides; prints {"error": null | ...}
  add-partitions BOOTSTRAP TOPIC COUNT      CreatePartitions to COUNT in all; prints {"error": null | ...,
                                            "partitions": [the topic's partition ids in Metadata]}

An entry: {"value", "source", "isDefault", "readOnly", "sensitive", "synonyms": [[name, value, source]]}.
librdkafka hands synonyms over as a dict by name, so two synonyms of the same name (a broker config
set at start and its default) arrive as the last one alone. An error: {"code", "name", "message"}.
Every answer is one JSON line on stdout; the exit code is 0 whenever the broker answered.
"""
import json
import sys

from confluent_kafka import KafkaException
from confluent_kafka.admin import AdminClient, ConfigResource, NewPartitions

TIMEOUT_S = 20


def error_of(exception):
    err = exception.args[0]
    return {'code': err.code(), 'name': err.name(), 'message': err.str()}


def entry_of(entry):
    return {'value': entry.value, 'source': entry.source, 'isDefault': entry.is_default,
            'readOnly': entry.is_read_only, 'sensitive': entry.is_sensitive,
            'synonyms': [[s.name, s.value, s.source] for s in entry.synonyms.values()]}


def describe(admin, resource_type, name):
    [future] = admin.describe_configs([ConfigResource(resource_type, name)],
                                      request_timeout=TIMEOUT_S).values()
    try:
        configs = future.result()
    except KafkaException as e:
        return {'error': error_of(e)}
    return {'configs': {key: entry_of(entry) for key, entry in configs.items()}}


def alter(admin, resource_type, name, configs, validate_only):
    resource = ConfigResource(resource_type, name, set_config=configs)
    [future] = admin.alter_configs([resource], request_timeout=TIMEOUT_S, validate_only=validate_only).values()
    try:
        future.result()
    except KafkaException as e:
        return {'error': error_of(e)}
    return {'error': None}


def add_partitions(admin, topic, count):
    [future] = admin.create_partitions([NewPartitions(topic, count)], request_timeout=TIMEOUT_S).values()
    error = None
    try:
        future.result()
    except KafkaException as e:
        error = error_of(e)
    metadata = admin.list_topics(topic, timeout=TIMEOUT_S)
    return {'error': error, 'partitions': sorted(metadata.topics[topic].partitions)}


def main(command, bootstrap, *args):
    admin = AdminClient({'bootstrap.servers': bootstrap})
    if command == 'describe':
        answer = describe(admin, args[0], args[1])
    elif command == 'alter':
        answer = alter(admin, args[0], args[1], json.loads(args[2]), args[3:] == ('validate',))
    elif command == 'add-partitions':
        answer = add_partitions(admin, args[0], int(args[1]))
    else:
        sys.exit('unknown command %s' % command)
    print(json.dumps(answer))


if __name__ == '__main__':
    main(*sys.argv[1:])
