#!/usr/bin/env bash
# The benchmark: ingest vs a Kafka Streams passthrough, list latency, expiry cost, memory, and a
# real Prometheus Alertmanager as the peer, side by side in one run, so the ratios compare like with
# like on whatever else the machine is doing.
#
#   bench/run.sh            full run (2M events, 1M incidents; about 30 min on 2 cores)
#   bench/run.sh --quick    quick run (200k events, 100k incidents; about 5 min)
#   bench/run.sh --quick --only list --incidents 20000   one scenario, other sizes (see Bench.Sizes)
#   bench/run.sh --scale    scale run alone: 10M distinct alerts folded with the default settings, list
#                           latencies, RSS, ready after a clean restart, restore + index rebuild after the
#                           local state is deleted (503 meanwhile); --scale-incidents N for a shorter trial
#   bench/run.sh --help     this text
#
# Scenarios for --only (comma list): ingest, grouped (ingest with a grouping rule vs without, same set),
# expiry, list, peer, live (100 stream clients during ingest), notify (one webhook subscription to a
# loopback receiver during ingest). Every size of Bench.Sizes can be
# overridden as --<size> N (e.g. --ingest-events 20000, --peer-events 5000, --profile true;
# --ingest-guarantees exactly_once_v2 runs scenario 1 under that guarantee only, to compare one lever faster).
#
# Builds the jar and the harness (src/bench/java/io/incidentstream/bench: its own source root, which
# Maven compiles with the tests into target/test-classes; BenchSmokeTest checks it in mvn verify),
# installs prometheus-alertmanager if missing, runs, prints a table and, as its last line, the
# BENCH summary; writes bench/RESULTS.md. BENCH_NOTE="…" is recorded there as "other work".
# Logs: target/bench-harness.log (brokers), target/bench-work/*.log (each child process).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ " $* " == *" --help "* || " $* " == *" -h "* ]]; then
  sed -n '2,/^set -euo pipefail/p' "$0" | sed '$d; s/^# \{0,1\}//'
  exit 0
fi

# Offline when ~/.m2 has everything; output only on failure (Debian's Maven prints colour codes even with -q -B).
mvn_q() {
  local out
  out="$(mvn -q -B -o "$@" 2>&1)" || out="$(mvn -q -B "$@" 2>&1)" || { echo "$out"; return 1; }
}

echo "building (mvn package -DskipTests: the jar and the harness; the test classpath)…"
mvn_q -DskipTests package
mvn_q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt

AM="$(command -v prometheus-alertmanager || command -v alertmanager || true)"
if [[ -z "$AM" ]]; then
  echo "installing prometheus-alertmanager (Debian package)…"
  SUDO=""; [[ "$(id -u)" != 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus-alertmanager >/dev/null
  AM="$(command -v prometheus-alertmanager)"
fi

WORK=target/bench-work
SUMMARY=target/bench-summary.txt
rm -f "$SUMMARY"
java -Xmx3g -Dlogback.configurationFile=bench/logback.xml -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" io.incidentstream.bench.Bench \
  --jar target/incident-stream.jar --alertmanager "$AM" --work "$WORK" --results bench/RESULTS.md --summary "$SUMMARY" \
  --command "bench/run.sh${*:+ $*}" "$@"
cat "$SUMMARY"
