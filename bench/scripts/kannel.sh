#!/usr/bin/env bash
# Kannel 1.4.5 (Debian's package: apt-get install kannel wrk) against the same node-smpp SMSC as
# `SMSC=node bench/scripts/overload.sh`, for issue 15's "x Kannel" ratio: bearerbox (store-type file, one transceiver
# bind, max-pending-submits 100, DLRs matched in its internal store) + smsbox (sendsms HTTP, a dlr-url per message
# answered by a small local HTTP server), loaded by wrk (64 connections, one message per GET) for WARMUP + DURATION.
# Prints the rate at the SMSC and bearerbox+smsbox CPU per message sent, under load and then draining what it queued
# with no load. Not a test dependency. Usage: bench/scripts/kannel.sh [DURATION_S]   (env WARMUP_S, default 20)
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
duration="${1:-20}"
warmup="${WARMUP_S:-20}"
for c in bearerbox smsbox wrk node; do command -v $c >/dev/null || { echo "needs $c (apt-get install kannel wrk nodejs)" >&2; exit 2; }; done
work="$(mktemp -d)"
smsc=12999
mkdir -p "$work/store"
sed -e "s|@WORK@|$work|g" -e "s|@SMSC@|$smsc|" "$home/bench/kannel/kannel.conf.in" > "$work/kannel.conf"
[ -d "$home/bench/node/node_modules" ] || (cd "$home/bench/node" && npm ci --no-audit --no-fund >/dev/null)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
node "$home/bench/node/smsc.js" $smsc 100 > "$work/smsc.log" 2>&1 & pids+=($!)
node -e "require('http').createServer((q, r) => r.end('ok')).listen(13080, '127.0.0.1')" & pids+=($!)
sleep 1
bearerbox "$work/kannel.conf" > "$work/bearerbox.out" 2>&1 & bb=$!; pids+=($bb)
sleep 2
smsbox "$work/kannel.conf" > "$work/smsbox.out" 2>&1 & sb=$!; pids+=($sb)
for _ in $(seq 1 60); do curl -fs "127.0.0.1:13013/cgi-bin/sendsms" >/dev/null 2>&1 || [ $? -eq 22 ] && break; sleep 0.5; done
ticks() { awk '{t += $14 + $15} END {print t}' /proc/$bb/stat /proc/$sb/stat; }
sent() { curl -s "127.0.0.1:13000/status.txt?password=bar" | grep -o 'sent: sms [0-9]*' | awk '{print $3}'; }
window() { # label seconds: messages sent at the SMSC and bearerbox+smsbox CPU per message over the next N seconds
  local c0 n0 t0 c1 n1 t1
  c0=$(ticks); n0=$(sent); t0=$(date +%s.%N); sleep "$2"; c1=$(ticks); n1=$(sent); t1=$(date +%s.%N)
  python3 -c "n=$n1-$n0; s=$t1-$t0; print('$1: %d sent in %.1f s = %d/s, bearerbox+smsbox CPU %.0f us per message sent' % (n, s, n/s, ($c1-$c0)*1e6/$(getconf CLK_TCK)/max(n,1)))"
}
echo "kannel $(bearerbox --version 2>&1 | grep -o "version \`[^']*" | tr -d '\`' | head -1), node-smpp SMSC on $smsc (receipts after 100 ms), wrk -c64"
wrk -t2 -c64 -d$((warmup + duration))s -s "$home/bench/kannel/sendsms.lua" http://127.0.0.1:13013 > "$work/wrk.out" 2>&1 &
w=$!
sleep "$warmup"
window "under load" "$duration"
wait $w
grep -E 'Requests/sec' "$work/wrk.out" | sed 's/^/accepted over HTTP (wrk): /'
window "draining its store, no load" "$duration"
curl -s "127.0.0.1:13000/status.txt?password=bar" | grep -E '^(SMS|DLR):'
