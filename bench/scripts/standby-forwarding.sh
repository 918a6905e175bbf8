#!/usr/bin/env bash
# What a request through a standby of a failover group costs (BENCHMARKS.md, "a request through a standby"): the same
# HTTP load alternately at the active node (node1, :18081) and at a standby (node2, :18082) of bin/smppgw-cluster,
# each run 20 s warm-up and 20 s measured, with both nodes' CPU read from /proc over the run.
# Usage: bin/smppgw-cluster up [DIR]; bench/scripts/standby-forwarding.sh [DIR] PORT:RATE...
#   e.g. bench/scripts/standby-forwarding.sh ./cluster-local 18081:500 18082:500 18081:0 18082:0   (rate 0: closed loop)
# node1 must be the active node (bin/smppgw-cluster status); every line prints the run's rates, latencies and CPU ticks.
# The same for a sharded group (CLUSTER_SHARDS=6 bin/smppgw-cluster up): every node decides and sends, so all three
# nodes' CPU is printed, and their sum.
# BENCH_CLIENT_REF=1 gives each message a client_ref of its own (on a sharded group most are held by another shard first).
set -euo pipefail
home="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
dir="$(cd "${1:?cluster directory}" && pwd)"; shift
active=$(pgrep -f "run --config $dir/node1.yaml" | tail -1)
standby=$(pgrep -f "run --config $dir/node2.yaml" | tail -1)
third=$(pgrep -f "run --config $dir/node3.yaml" | tail -1)
cpu() { awk '{print $14+$15}' "/proc/$1/stat"; }
for run in "$@"; do
  port=${run%%:*}; rate=${run#*:}
  a0=$(cpu "$active"); s0=$(cpu "$standby"); t0=$(cpu "$third")
  out=$("$home/bin/smppgw-bench" http --url "http://127.0.0.1:$port" --pid "$active" --rate "$rate" --warmup 20s --duration 20s \
    ${BENCH_CLIENT_REF:+--client-ref} 2>&1)
  a1=$(cpu "$active"); s1=$(cpu "$standby"); t1=$(cpu "$third")
  field() { echo "$out" | awk -v k="$1" '/accept_latency_ms:/{f=1} f && $1==k {print $2; exit}'; }
  echo "port $port rate $rate: accepted/s $(echo "$out" | awk '$1=="accepted_per_s"{print $2; exit}'), p50 $(field p50) ms," \
    "p99 $(field p99) ms, CPU ticks over warm-up and measurement ($(getconf CLK_TCK)/s): node1 $((a1 - a0)), node2 $((s1 - s0))," \
    "node3 $((t1 - t0)), all $((a1 - a0 + s1 - s0 + t1 - t0))"
done
