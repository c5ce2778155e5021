#!/usr/bin/env bash
# The project's benchmark suite (docs/benchmarks.md): builds every module, then runs
#   java -jar bench/target/bench.jar suite
# which measures, in one session on this machine, every figure of the pipeline next to its
# reference (writer drain vs a JDBC batch upsert, HTTP ingest vs Kafka's ProducerPerformance,
# freshness vs Kafka's EndToEndLatency, reads vs the same SQL on the shards) and writes the table
# into docs/benchmarks.md. Options go to the suite; `bench/run.sh --help` lists them.
# A benchmark, not a test: it fails only when it cannot run, never on a slow result.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" != "--help" ] && [ "${1:-}" != "-h" ]; then
  # wrk gives the closed-loop single-request figure; without it that row says it was not measured.
  if ! command -v wrk >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null || true
  fi
  mvn -q -DskipTests package
fi
exec java -jar bench/target/bench.jar suite "$@"
