#!/usr/bin/env bash
# A 100,000-recipient campaign upload against the gateway as operators run it (bin/smppgw run, the embedded SMSC
# simulator, its own data directory): the upload's wall time, and the gateway's heap in use sampled every 100 ms
# with jstat (before, peak during the upload, after a full GC). Usage: bench/scripts/campaign-upload.sh [RECIPIENTS]
# HELD=1: the campaign starts in an hour, so the upload is measured alone (nothing is sent meanwhile).
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
n="${1:-100000}"
work="$(mktemp -d)"
http=18480
smsc=12775
sed -e "s|^data-dir: .*|data-dir: $work/data|" -e "s|127.0.0.1:8080|127.0.0.1:$http|" -e "s|2775|$smsc|g" \
  "$home/config/gateway.yaml" > "$work/gateway.yaml"
# the body holds every row: 4 MiB (the default) takes about 100,000 short rows; give it room
sed -i "s|^  listen: 127.0.0.1:$http .*|  listen: 127.0.0.1:$http\n  max-body-bytes: 16777216|" "$work/gateway.yaml"
SMPPGW_JAVA_OPTS="${SMPPGW_JAVA_OPTS:--Xmx1g}" "$home/bin/smppgw" run --config "$work/gateway.yaml" > "$work/gateway.log" 2>&1 &
launcher=$!
trap 'kill $launcher 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do curl -fs "127.0.0.1:$http/health" >/dev/null 2>&1 && break; sleep 0.5; done
pid=$(pgrep -f -n "run --config $work/gateway.yaml")
python3 - "$n" > "$work/recipients.csv" <<'PY'
import sys
n = int(sys.argv[1])
print("to,first_name,city")
for i in range(n):
    print("+336%08d,Prénom%d,%s" % (i, i, "Lyon" if i % 2 else ""))
PY
start=""
if [ -n "${HELD:-}" ]; then start="\"start_at\":\"$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)\","; fi
curl -fs -X PUT "127.0.0.1:$http/v1/campaigns/bench" -H 'Content-Type: application/json' -d '{"from":"36111","max_segments":1,'"$start"'
  "variants":[{"name":"A","text":"Bonjour {first_name}, -20% a {city|Paris} avec {promo}","weight":1},
              {"name":"B","text":"{first_name}: vos soldes -20% ({promo})","weight":1}]}' >/dev/null
heap() { jstat -gc "$pid" | awk 'NR==2 {printf "%.1f", ($3+$4+$6+$8)/1024}'; }
jcmd "$pid" GC.run >/dev/null
before=$(heap)
peak_file="$work/peak"; echo 0 > "$peak_file"
( while :; do h=$(heap); awk -v h="$h" -v f="$peak_file" 'BEGIN{getline p < f; if (h+0 > p+0) {print h > f}}'; sleep 0.1; done ) &
sampler=$!
start=$(date +%s.%N)
answer=$(curl -fs -X POST "127.0.0.1:$http/v1/campaigns/bench/recipients" -H 'Content-Type: text/csv' --data-binary @"$work/recipients.csv")
end=$(date +%s.%N)
kill $sampler
jcmd "$pid" GC.run >/dev/null
after=$(heap)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(java -version 2>&1 | head -1)"
echo "recipients: $n ($(du -h "$work/recipients.csv" | cut -f1) CSV), gateway -Xmx1g, default configuration otherwise; $([ -n "${HELD:-}" ] && echo "held (start_at in an hour: nothing sent meanwhile)" || echo "sent as accepted (to the embedded simulator)")"
echo "answer: $answer" | cut -c1-200
awk -v s="$start" -v e="$end" -v n="$n" 'BEGIN {printf "upload: %.2f s (%.0f recipients/s, answered once durable)\n", e-s, n/(e-s)}'
echo "heap in use (MiB): before $before, peak during $(cat "$peak_file"), after a full GC $after"
