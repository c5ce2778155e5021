#!/usr/bin/env bash
# HTTP ingest benchmark (docs/benchmarks.md, "HTTP ingest"): drives ingest-api on a running
# devstack with wrk and reports events/s and latency percentiles for
#   1. POST /tweets/batch, 1 000 tweets per request (target: >= 60 000 events/s sustained 60 s)
#   2. POST /tweets, one tweet per request      (target: >= 5 000 requests/s, p99 < 25 ms)
#
# Usage:
#   bench/ingest-http.sh [--url http://127.0.0.1:8080] [--duration 60s] [--warmup 15s]
#                        [--batch-connections 8] [--single-connections 16] [--threads 2]
#                        [--only batch|single] [--query-url http://127.0.0.1:8081]
#                        [--settle-timeout 900]
#                        [--start-devstack] [--devstack-args "--ingest-port 18080 ..."]
#
# Without --start-devstack the devstack must already be running (the README's first command).
# With it, the script builds nothing: it starts devstack/target/devstack.jar with --clean in a
# temporary data directory (plus --devstack-args), runs, and stops it again with SIGTERM.
# Both paths are warmed up first; then the single run, then the batch run. Before the single run
# the script waits (at most --settle-timeout seconds) until the writers have applied every event
# so far (query-service's /stats lag is 0 with every shard answering), so that it does not measure
# beside the writers' catch-up of a batch run's millions of rows.
# This is a benchmark, not a test: it fails only when it cannot run, never on a slow result.
set -euo pipefail
cd "$(dirname "$0")/.."

url="http://127.0.0.1:8080"
duration="60s"
warmup="15s"
batch_connections=8
single_connections=16
threads=2
start_devstack=false
devstack_args=""
only=""
query_url="http://127.0.0.1:8081"
settle_timeout=900

while [ $# -gt 0 ]; do
  case "$1" in
    --url) url="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --batch-connections) batch_connections="$2"; shift 2 ;;
    --single-connections) single_connections="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --query-url) query_url="$2"; shift 2 ;;
    --settle-timeout) settle_timeout="$2"; shift 2 ;;
    --start-devstack) start_devstack=true; shift ;;
    --devstack-args) devstack_args="$2"; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

case "$url" in
  http://127.0.0.1:*|http://localhost:*|http://\[::1\]:*) ;;
  *) echo "--url must be a loopback address (127.0.0.1, localhost or [::1]): $url" >&2; exit 2 ;;
esac

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "wrk is missing; install it (Debian: apt-get install wrk) and run again" >&2
    exit 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi

devstack_pid=""
data_dir=""
stop_devstack() {
  if [ -n "$devstack_pid" ] && kill -0 "$devstack_pid" 2>/dev/null; then
    kill -TERM "$devstack_pid"
    for _ in $(seq 1 60); do
      kill -0 "$devstack_pid" 2>/dev/null || break
      sleep 1
    done
  fi
  if [ -n "$data_dir" ]; then
    rm -rf "$data_dir"
  fi
}
trap stop_devstack EXIT

healthy() {
  curl -sf -o /dev/null --max-time 2 "$url/health"
}

if $start_devstack; then
  if [ ! -f devstack/target/devstack.jar ]; then
    echo "devstack/target/devstack.jar is missing; build first: mvn -q -DskipTests package" >&2
    exit 1
  fi
  data_dir="$(mktemp -d /tmp/ingest-bench-XXXXXX)"
  # shellcheck disable=SC2086 # devstack_args is a list of options
  java -jar devstack/target/devstack.jar --clean --data-dir "$data_dir" $devstack_args \
    >"$data_dir.log" 2>&1 &
  devstack_pid=$!
  echo "started the devstack (pid $devstack_pid, log $data_dir.log); waiting for $url/health"
  for _ in $(seq 1 120); do
    healthy && break
    kill -0 "$devstack_pid" 2>/dev/null || { cat "$data_dir.log" >&2; exit 1; }
    sleep 1
  done
fi
healthy || { echo "ingest-api does not answer at $url/health; start the devstack first" >&2; exit 1; }

# The bearer token the scripts and curl send (docs/security.md): SHARDPIPE_TOKEN, else the admin
# token of the devstack this script started, else that of the devstack in .devstack/.
if [ -z "${SHARDPIPE_TOKEN:-}" ]; then
  tokens="${data_dir:-.devstack}/tokens.json"
  if [ -f "$tokens" ]; then
    SHARDPIPE_TOKEN="$(sed -n 's/.*"admin": *"\([^"]*\)".*/\1/p' "$tokens")"
  fi
fi
export SHARDPIPE_TOKEN="${SHARDPIPE_TOKEN:-}"
auth=()
if [ -n "$SHARDPIPE_TOKEN" ]; then
  auth=(-H "Authorization: Bearer $SHARDPIPE_TOKEN")
fi

run() {
  local name="$1" script="$2" connections="$3" length="$4"
  wrk --threads "$threads" --connections "$connections" --duration "$length" --timeout 10s \
    --latency --script "bench/wrk/$script" "$url" | tee "/tmp/ingest-bench-$name.txt" >&2
  grep '^RESULT' "/tmp/ingest-bench-$name.txt" || true
}

# Prints the writers' total lag from query-service: a number when every shard answered, "partial"
# when some did not (their lag is unknown then), nothing when query-service does not answer.
lag() {
  local stats
  stats=$(curl -sf --max-time 10 "${auth[@]}" "$query_url/stats") || return 0
  if grep -q '"partial":false' <<<"$stats"; then
    sed -n 's/.*"totals":{[^}]*}[^}]*"lag":\([0-9]*\).*/\1/p' <<<"$stats"
  else
    echo partial
  fi
}

settle() {
  local deadline=$((SECONDS + settle_timeout)) current partials=0
  while [ "$SECONDS" -lt "$deadline" ]; do
    current=$(lag)
    if [ -z "$current" ]; then
      echo "query-service does not answer at $query_url/stats; not waiting for the writers" >&2
      return
    fi
    if [ "$current" = partial ]; then
      # A busy shard can miss query-service's deadline once; on tables of tens of millions of rows
      # its row counts miss it every time.
      partials=$((partials + 1))
      if [ "$partials" -ge 6 ]; then
        echo "query-service answers /stats only partially; not waiting for the writers" >&2
        return
      fi
      echo "waiting for the writers: /stats answered partially" >&2
      sleep 10
      continue
    fi
    if [ "$current" = 0 ]; then
      echo "writers caught up" >&2
      return
    fi
    echo "waiting for the writers: lag $current events" >&2
    sleep 10
  done
  echo "writers still behind after ${settle_timeout}s; measuring anyway" >&2
}

echo "ingest-api at $url; $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ)"
echo "warm-up ($warmup each), then $duration each"
batch="" single=""
# Warm both paths up first (the JIT compiles them), then measure single requests beside writers
# at their steady state, then batches: a batch run leaves the writers millions of rows behind.
[ "$only" = single ] || run warmup-batch tweets-batch.lua "$batch_connections" "$warmup" >/dev/null
[ "$only" = batch ] || run warmup-single tweet.lua "$single_connections" "$warmup" >/dev/null
if [ "$only" != batch ]; then
  settle
  single=$(run single tweet.lua "$single_connections" "$duration")
fi
if [ "$only" != single ]; then
  batch=$(run batch tweets-batch.lua "$batch_connections" "$duration")
fi

echo
echo "$batch"
echo "$single"
echo
value() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }
[ -z "$batch" ] || printf '| %s | %s | %s | %s | %s | %s | %s |\n' \
  "POST /tweets/batch (1 000 items), $batch_connections connections" \
  "$(value "$batch" events_per_s)" "$(value "$batch" requests_per_s)" \
  "$(value "$batch" p50_ms)" "$(value "$batch" p99_ms)" "$(value "$batch" max_ms)" \
  "$(value "$batch" failed)"
[ -z "$single" ] || printf '| %s | %s | %s | %s | %s | %s | %s |\n' \
  "POST /tweets, $single_connections connections" \
  "$(value "$single" events_per_s)" "$(value "$single" requests_per_s)" \
  "$(value "$single" p50_ms)" "$(value "$single" p99_ms)" "$(value "$single" max_ms)" \
  "$(value "$single" failed)"
