#!/usr/bin/env bash
# Sustained overload from outside: the SMSC simulator in its own process (bin/smppgw sim), the gateway in another
# (bin/smppgw run, the shipped configuration with the operator limited to TPS messages/s), and the HTTP load from
# smppgw-bench (64 connections, one message per POST, as fast as answered) for DURATION. The report (bench-results/)
# has the accepted and submitted rates, the backlog over time, the 429s, and the gateway's CPU per message.
# Usage: bench/scripts/overload.sh [TPS] [DURATION]     e.g. bench/scripts/overload.sh 2000 60s
# RATE=3000: an open-loop load of that many messages/s instead (below capacity: the cost per message in steady state).
# BARE=1: no gateway; a bare SMPP client (smppgw-bench bare: the shipped binds, 2 x window 100) against the same
#   SMSC process instead: the rate the gateway is compared with (issue 15's "bare client" ratio); BARE=node: node-smpp's.
# SMSC=node: the SMSC is node-smpp's (bench/node/smsc.js, npm), not smppgw's simulator.
# KAFKA=bootstrap: the same with store.type kafka (the journal replicated, answers held for Kafka's acknowledgement).
set -euo pipefail
if { [ "${SMSC:-sim}" = node ] || [ "${BARE:-}" = node ]; } && ! command -v node >/dev/null; then
  echo "SMSC=node and BARE=node need Node.js and npm (node-smpp from the npm registry): apt-get install nodejs npm" >&2
  exit 2
fi
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tps="${1:-2000}"
duration="${2:-60s}"
work="$(mktemp -d)"
http=18580
smsc=12875
sed -e "s|^data-dir: .*|data-dir: $work/data|" -e "s|127.0.0.1:8080|127.0.0.1:$http|" -e "s|2775|$smsc|g" \
  -e "s|^    tps: 0 .*|    tps: $tps|" "$home/config/gateway.yaml" > "$work/gateway.yaml"
# KAFKA=127.0.0.1:19092,...: store.type kafka against those brokers (bin/smppgw-kafka up), a fresh topic per run
if [ -n "${KAFKA:-}" ]; then
  sed -i "s|^store:|store:\n  type: kafka\n  kafka: {bootstrap: \"$KAFKA\", topic-prefix: bench$(date +%s)}|" "$work/gateway.yaml"
  echo "cluster: {node-id: bench}" >> "$work/gateway.yaml"
fi
# the simulator in a process of its own: the gateway's configuration keeps the section but does not run it
sed -i "0,/^  enabled: true/s//  enabled: false/" "$work/gateway.yaml"
if [ "${SMSC:-sim}" = node ]; then
  # an SMSC nobody here wrote (node-smpp, bench/node): text-only receipts after 100 ms, ids hex in responses, decimal in receipts
  [ -d "$home/bench/node/node_modules" ] || (cd "$home/bench/node" && npm ci --no-audit --no-fund >/dev/null)
  node "$home/bench/node/smsc.js" "$smsc" 100 > "$work/sim.log" 2>&1 &
else
  SMPPGW_JAVA_OPTS="-Xmx256m" "$home/bin/smppgw" sim --config "$work/gateway.yaml" > "$work/sim.log" 2>&1 &
fi
sim=$!
if [ -n "${BARE:-}" ]; then
  trap 'kill $sim 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
  for _ in $(seq 1 120); do (exec 3<>/dev/tcp/127.0.0.1/$smsc) 2>/dev/null && break; sleep 0.5; done
  if [ "$BARE" = node ]; then
    w="${WARMUP:-5s}"
    node "$home/bench/node/bare.js" "127.0.0.1:$smsc" 2 100 "${w%s}" "${duration%s}"
  else
    "$home/bin/smppgw-bench" bare --smsc "127.0.0.1:$smsc" --warmup "${WARMUP:-5s}" --duration "$duration"
  fi
  exit 0
fi
SMPPGW_JAVA_OPTS="${SMPPGW_JAVA_OPTS:--Xmx1g}" "$home/bin/smppgw" run --config "$work/gateway.yaml" > "$work/gateway.log" 2>&1 &
gw=$!
trap 'kill $gw $sim 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do curl -fs "127.0.0.1:$http/health" >/dev/null 2>&1 && break; sleep 0.5; done
pid=$(pgrep -f -n "run --config $work/gateway.yaml")
echo "gateway pid $pid, operator tps $tps, max-backlog-time $(grep -c max-backlog-time "$work/gateway.yaml" >/dev/null && echo configured || echo "2m (default)")"
"$home/bin/smppgw-bench" http --url "http://127.0.0.1:$http" --pid "$pid" --warmup "${WARMUP:-5s}" --duration "$duration" --concurrency 64 --rate "${RATE:-0}"
