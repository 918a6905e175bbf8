#!/usr/bin/env bash
# How long a failover group's standby takes to serve after kill -9 of the active node, with a big journal
# (BENCHMARKS.md, "Failover group: how long a standby takes to serve"). Posts MESSAGES messages to the active node of
# bin/smppgw-cluster in batches of 1,000, waits until the last one is DELIVERED and the standbys' copies (if kept) have
# caught up, kills the active node with kill -9, and prints the seconds until a standby's /health says it is active,
# with how the new active node's store started (/admin/status replication.start). With BACK=1 it then starts the killed
# node again (bin/smppgw-cluster up) and prints how long until its copy follows the group again and how many topic
# records it read to get there (a node back after kill -9 goes on from the point it saved while active, at most 2 s old).
# Usage: [CLUSTER_WARM_STANDBY=false] bin/smppgw-cluster up DIR; [BACK=1] bench/scripts/takeover.sh DIR MESSAGES
set -euo pipefail
dir="$(cd "${1:?cluster directory}" && pwd)"; messages="${2:?messages}"
base="${CLUSTER_HTTP_BASE:-18080}"
role() { curl -s "http://127.0.0.1:$((base + $1))/health" | sed -n 's/.*"role":"\([a-z]*\)".*/\1/p'; }
active=""
for n in 1 2 3; do [ "$(role $n)" = active ] && active=$n; done
[ -n "$active" ] || { echo "no active node" >&2; exit 1; }
url="http://127.0.0.1:$((base + active))"
cpu() { awk '{print $14+$15}' "/proc/$(cat "$dir/node$1.pid")/stat"; }
declare -A cpu0; for n in 1 2 3; do cpu0[$n]=$(cpu $n); done
last=""
for ((b = 0; b < messages / 1000; b++)); do
  body=$(awk -v b="$b" 'BEGIN{printf "{\"messages\":["; for(i=0;i<1000;i++){printf "%s{\"to\":\"+336%08d\",\"from\":\"BENCH\",\"text\":\"takeover %d\"}", (i?",":""), b*1000+i, i} printf "]}"}')
  last=$(curl -s -H 'Content-Type: application/json' --data "$body" "$url/v1/messages/batch" \
    | grep -o '"id":"[^"]*"' | tail -1 | cut -d'"' -f4)
done
[ -n "$last" ] || { echo "nothing accepted" >&2; exit 1; }
until curl -s "$url/v1/messages/$last" | grep -q '"state":"DELIVERED"'; do sleep 1; done
for n in 1 2 3; do
  if [ "$n" != "$active" ]; then
    until curl -s "http://127.0.0.1:$((base + n))/health" | grep -Eq '"behind_records":0|"state":"off"'; do sleep 1; done
  fi
done
echo "CPU ticks ($(getconf CLK_TCK)/s) from the first post to all delivered and copied: $(for n in 1 2 3; do echo -n "node$n $(( $(cpu $n) - ${cpu0[$n]} )) "; done)"
echo "node$active active; $messages messages DELIVERED; standbys: $(for n in 1 2 3; do [ "$n" != "$active" ] && curl -s "http://127.0.0.1:$((base + n))/health" | grep -o '"journal_copy":{[^}]*}'; done | tr '\n' ' ')"
t0=$(date +%s.%N)
kill -9 "$(cat "$dir/node$active.pid")" && rm -f "$dir/node$active.pid"
next=""
while [ -z "$next" ]; do
  for n in 1 2 3; do [ "$n" != "$active" ] && [ "$(role $n)" = active ] && next=$n; done
  sleep 0.2
done
t1=$(date +%s.%N)
token=$(cat "$dir/node$next/admin.token")
echo "kill -9 of node$active -> node$next serving: $(echo "$t1 - $t0" | bc) s; its store's start: $(curl -s -H "Authorization: Bearer $token" \
  "http://127.0.0.1:$((base + next))/admin/status" | grep -o '"start":{[^}]*}')"
if [ "${BACK:-0}" = 1 ]; then
  home="$(cd "$(dirname "$0")/../.." && pwd)"
  t2=$(date +%s.%N)
  "$home/bin/smppgw-cluster" up "$dir" > /dev/null
  back="http://127.0.0.1:$((base + active))"
  until curl -s "$back/health" | grep -q '"state":"following","behind_records":0'; do sleep 0.2; done
  t3=$(date +%s.%N)
  echo "node$active back: its copy following again $(echo "$t3 - $t2" | bc) s after its start; $(curl -s "$back/health" \
    | grep -o '"journal_copy":{[^}]*}'); journal set aside: $([ -d "$dir/node$active/replaced" ] && echo yes || echo no)"
fi
