#!/usr/bin/env bash
# What a request through a standby of a failover group costs (BENCHMARKS.md, "a request through a standby"): the same
# HTTP load alternately at the active node (node1, :18081) and at a standby (node2, :18082) of bin/smppgw-cluster,
# each run 20 s warm-up and 20 s measured, with both nodes' CPU read from /proc over the run.
# Usage: bin/smppgw-cluster up [DIR]; bench/scripts/standby-forwarding.sh [DIR] PORT:RATE...
#   e.g. bench/scripts/standby-forwarding.sh ./cluster-local 18081:500 18082:500 18081:0 18082:0   (rate 0: closed loop)
# node1 must be the active node (bin/smppgw-cluster status); every line prints the run's rates, latencies and CPU ticks.
set -euo pipefail
home="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
dir="$(cd "${1:?cluster directory}" && pwd)"; shift
active=$(pgrep -f "run --config $dir/node1.yaml" | tail -1)
standby=$(pgrep -f "run --config $dir/node2.yaml" | tail -1)
cpu() { awk '{print $14+$15}' "/proc/$1/stat"; }
for run in "$@"; do
  port=${run%%:*}; rate=${run#*:}
  a0=$(cpu "$active"); s0=$(cpu "$standby")
  out=$("$home/bin/smppgw-bench" http --url "http://127.0.0.1:$port" --pid "$active" --rate "$rate" --warmup 20s --duration 20s 2>&1)
  a1=$(cpu "$active"); s1=$(cpu "$standby")
  field() { echo "$out" | awk -v k="$1" '/accept_latency_ms:/{f=1} f && $1==k {print $2; exit}'; }
  echo "port $port rate $rate: accepted/s $(echo "$out" | awk '$1=="accepted_per_s"{print $2; exit}'), p50 $(field p50) ms," \
    "p99 $(field p99) ms, CPU ticks over warm-up and measurement ($(getconf CLK_TCK)/s): active $((a1 - a0)), standby $((s1 - s0))"
done
