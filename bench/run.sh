#!/usr/bin/env bash
# The gateway's performance benchmark. Usage (from anywhere):
#   bench/run.sh                       # full run: folders of 1, 1,000, 10,000 (+1,000 × ~500 KB), uploads
#   bench/run.sh --runs 3 --uploads 0  # options are passed to bench/Bench.java (see bench/README.md)
# Builds target/oct-inference-gateway.jar if it is missing (BENCH_REBUILD=1 forces a rebuild).
# Writes bench/results/latest.md. Starts one gateway child process on free loopback ports and stops it (that PID only).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f target/oct-inference-gateway.jar || "${BENCH_REBUILD:-0}" == 1 ]]; then
  mvn -B -q package -DskipTests -o
fi
exec java bench/Bench.java "$@"
