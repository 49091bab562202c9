#!/usr/bin/env bash
# Runs every benchmark scenario of docs/benchmarks.md and prints one ratio table at the end.
#
#   benchmarks/run.sh           full run: each scenario about a minute per contender, JMH three times
#   benchmarks/run.sh --quick   smaller batches, one short JMH run (under 15 minutes on 2 cores)
#
# Everything a run produced (classpath, per-scenario logs, JMH JSON, the table) is kept in
# benchmarks/target/run-<timestamp>/.
set -euo pipefail

cd "$(dirname "$0")/.."
quick=""
case "${1:-}" in
  --quick) quick="--quick" ;;
  "") ;;
  *) echo "usage: benchmarks/run.sh [--quick]" >&2; exit 2 ;;
esac

out="benchmarks/target/run-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
start=$(date +%s)

echo "== building (mvn -pl benchmarks -am install -DskipTests)"
mvn -q -B -ntp -pl benchmarks -am install -DskipTests
mvn -q -B -ntp -pl benchmarks dependency:build-classpath -Dmdep.outputFile="$PWD/$out/classpath.txt"
cp="benchmarks/target/classes:$(cat "$out/classpath.txt")"
results="$out/results.tsv"

echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1)"
echo "== commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"

echo "== scenarios 1-4: batches against the simulator"
java -cp "$cp" dev.opagent.bench.SegmentScenarios $quick --results "$results" 2> "$out/segment-scenarios.err"

echo "== scenario 7: client overhead and a streaming batch under -Xmx256m (1,000,000 customers; 250,000 with --quick)"
java -cp "$cp" dev.opagent.bench.ClientOverhead $quick --results "$results" 2> "$out/overhead.err"

echo "== scenario 6: decisions once segments are known"
java -cp "$cp" dev.opagent.bench.DecisionThroughput $quick --results "$results" 2> "$out/decisions.err"

echo "== scenario 5: rules (JMH)"
jmh_files=()
if [[ -n "$quick" ]]; then
  jmh_opts=(-f 1 -wi 3 -w 1s -i 3 -r 1s)
  runs=1
else
  jmh_opts=(-f 1 -wi 5 -w 2s -i 5 -r 2s)
  runs=3
fi
for i in $(seq 1 "$runs"); do
  echo "   JMH run $i of $runs: ${jmh_opts[*]}"
  java -cp "$cp" org.openjdk.jmh.Main RulesBenchmark "${jmh_opts[@]}" \
    -rf json -rff "$out/jmh-$i.json" > "$out/jmh-$i.log" 2>&1
  jmh_files+=("$out/jmh-$i.json")
  grep -E '^RulesBenchmark' "$out/jmh-$i.log" | sed 's/^/   /'
done

java -cp "$cp" dev.opagent.bench.RatioTable "$results" "${jmh_files[@]}" | tee "$out/table.txt"
echo "== done in $(( $(date +%s) - start )) s; outputs in $out"
