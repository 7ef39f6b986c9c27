#!/usr/bin/env bash
# Runs the DuckDB store's no-op throughput and idle latency of this working tree beside a baseline commit's, in one run:
#   bench/compare.sh <git ref> [more bench args, e.g. compare_runs=5 tasks=50000]
# The baseline is built in a temporary clone from its own sources (its benchmark code included), so its API may differ.
set -euo pipefail
cd "$(dirname "$0")/.."
ref=${1:?usage: bench/compare.sh <git ref> [bench args]}
shift
base=$(mktemp -d)
trap 'rm -rf "$base"' EXIT
git clone -q . "$base/src"
git -C "$base/src" checkout -q "$ref"
# one reactor build: the bench's classpath names the clone's module jars (nothing is installed)
(cd "$base/src" && mvn -q -Pbench -pl bench -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile="$base/deps.txt")
printf '%s:%s' "$base/src/bench/target/classes" "$(cat "$base/deps.txt")" > "$base/classpath.txt"
label="baseline_$(git -C "$base/src" rev-parse --short HEAD)"
mvn -q -Pbench -pl bench -am verify -DskipTests \
  -Dbench.args="systems=compare baseline_cp=$base/classpath.txt baseline_label=$label $*"
