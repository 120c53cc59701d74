#!/usr/bin/env bash
# The gateway's benchmarks. Usage (from anywhere):
#   bench/run.sh                       # the side-by-side: the gateway against the seed design (bench/SideBySide.java)
#   bench/run.sh --skip-seed ...       # options are passed to bench/SideBySide.java (see bench/README.md)
#   bench/run.sh folders --runs 3      # the folder-acceptance benchmark alone (bench/Bench.java, options passed on)
# Installs what is missing (hey, Debian's FastAPI/uvicorn/multipart/httpx) with apt and says so. Builds
# target/oct-inference-gateway.jar if it is missing (BENCH_REBUILD=1 forces it). Writes bench/results/latest.md.
# Starts its own children (the seed, the gateway) on free loopback ports and stops those PIDs only.
set -euo pipefail
cd "$(dirname "$0")/.."

program=bench/SideBySide.java
if [[ "${1:-}" == folders ]]; then
  program=bench/Bench.java
  shift
else
  missing=()
  command -v hey >/dev/null || missing+=(hey)
  for module in fastapi:python3-fastapi uvicorn:python3-uvicorn multipart:python3-multipart httpx:python3-httpx; do
    /usr/bin/python3 -c "import ${module%%:*}" 2>/dev/null || missing+=("${module#*:}")
  done
  if ((${#missing[@]})); then
    echo "bench/run.sh: installing with apt: ${missing[*]}"
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi
if [[ ! -f target/oct-inference-gateway.jar || "${BENCH_REBUILD:-0}" == 1 ]]; then
  echo "bench/run.sh: building target/oct-inference-gateway.jar"
  mvn -B -q package -DskipTests -o
fi
exec java "$program" "$@"
