// Builds librdkafka's rdkafka_performance example from the sources Debian's librdkafka-dev
// ships (/usr/share/doc/librdkafka-dev/examples). The example includes two internal
// librdkafka headers that the package does not install; the few helpers it takes from them
// (a microsecond clock, min/max, snprintf, getopt) are written here instead.
import {execFileSync} from 'node:child_process'
import {copyFileSync, existsSync, mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

const EXAMPLE = '/usr/share/doc/librdkafka-dev/examples/rdkafka_performance.c'

const RD_H = `/* Stand-in for librdkafka's internal rd.h: only what rdkafka_performance.c uses. */
#ifndef WEIR_BENCH_RD_H
#define WEIR_BENCH_RD_H
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h> /* getopt, as rd.h brings it in librdkafka */
typedef int64_t rd_ts_t;
static inline rd_ts_t rd_clock(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (rd_ts_t)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}
#define RD_MIN(a, b) ((a) < (b) ? (a) : (b))
#define RD_MAX(a, b) ((a) > (b) ? (a) : (b))
#define rd_snprintf snprintf
#endif
`

/** Returns the path of a built rdkafka_performance, building it under `workDir` if needed. */
export function buildRdkafkaPerformance(workDir: string): string {
  const binary = join(workDir, 'rdkafka_performance')
  if (existsSync(binary)) return binary
  if (!existsSync(EXAMPLE)) {
    throw new Error(`${EXAMPLE} is missing: apt-get install -y librdkafka-dev`)
  }
  const examples = join(workDir, 'rdkafka-src', 'examples')
  const src = join(workDir, 'rdkafka-src', 'src')
  mkdirSync(examples, {recursive: true})
  mkdirSync(src, {recursive: true})
  copyFileSync(EXAMPLE, join(examples, 'rdkafka_performance.c'))
  writeFileSync(join(src, 'rd.h'), RD_H)
  writeFileSync(join(src, 'rdtime.h'), '/* rd_clock lives in rd.h here */\n')
  execFileSync('gcc', ['-O2', '-w', `-I${src}`, '-I/usr/include/librdkafka', join(examples, 'rdkafka_performance.c'), '-o', binary, '-lrdkafka'])
  return binary
}
