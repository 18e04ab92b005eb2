"""Admin driver for kafka-python 2.0.2 (Debian's python3-kafka), run with /usr/bin/python3.

  describe BOOTSTRAP TYPE NAME SYNONYMS     DescribeConfigs (v2) of a topic or broker resource, with
                                            synonyms when SYNONYMS is "synonyms"; prints
                                            {"configs": {name: entry}} or {"error": ...}
  alter BOOTSTRAP TYPE NAME CONFIGS         AlterConfigs: CONFIGS = JSON {name: value}, the resource's
                                            whole new set of overrides; prints {"error": null | ...}
  add-partitions BOOTSTRAP TOPIC COUNT      CreatePartitions to COUNT in all; prints {"error": null | ...,
                                            "partitions": [the topic's partition ids in Metadata]}

kafka-python returns the raw responses of DescribeConfigs and AlterConfigs (their error codes are
not raised) and raises for CreatePartitions; both are reported alike. An entry: {"value", "source",
"readOnly", "sensitive", "synonyms": [[name, value, source]]} (v2 has no is_default). An error:
{"code", "name", "message"}. Every answer is one JSON line on stdout.
"""
import json
import sys

from kafka import KafkaAdminClient
from kafka.admin import ConfigResource, ConfigResourceType, NewPartitions
from kafka.errors import KafkaError, for_code

RESOURCE_TYPES = {'topic': ConfigResourceType.TOPIC, 'broker': ConfigResourceType.BROKER}


def error_of(code, message):
    return None if code == 0 else {'code': code, 'name': for_code(code).message, 'message': message}


def describe(admin, resource_type, name, synonyms):
    [response] = admin.describe_configs([ConfigResource(RESOURCE_TYPES[resource_type], name)],
                                        include_synonyms=synonyms)
    [(code, message, _type, _name, entries)] = response.resources
    if code != 0:
        return {'error': error_of(code, message)}
    configs = {}
    for key, value, read_only, source, sensitive, synonym_list in entries:
        configs[key] = {'value': value, 'source': source, 'readOnly': read_only, 'sensitive': sensitive,
                        'synonyms': [list(synonym) for synonym in synonym_list]}
    return {'configs': configs}


def alter(admin, resource_type, name, configs):
    response = admin.alter_configs([ConfigResource(RESOURCE_TYPES[resource_type], name, configs=configs)])
    [(code, message, _type, _name)] = response.resources
    return {'error': error_of(code, message)}


def add_partitions(admin, topic, count):
    error = None
    try:
        response = admin.create_partitions({topic: NewPartitions(count)})
        [(_topic, code, message)] = response.topic_errors
        error = error_of(code, message)
    except KafkaError as e:
        # kafka-python raises the error class of the code, with the whole response in its text
        error = {'code': e.errno, 'name': e.message, 'message': str(e)}
    [described] = admin.describe_topics([topic])
    return {'error': error, 'partitions': sorted(p['partition'] for p in described['partitions'])}


def main(command, bootstrap, *args):
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id='weir-interop-configs')
    try:
        if command == 'describe':
            answer = describe(admin, args[0], args[1], args[2] == 'synonyms')
        elif command == 'alter':
            answer = alter(admin, args[0], args[1], json.loads(args[2]))
        elif command == 'add-partitions':
            answer = add_partitions(admin, args[0], int(args[1]))
        else:
            sys.exit('unknown command %s' % command)
    finally:
        admin.close()
    print(json.dumps(answer))


if __name__ == '__main__':
    main(*sys.argv[1:])
