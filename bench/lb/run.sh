#!/usr/bin/env bash
# Load balancer throughput and latency: wrk through Vigil's built-in load balancer, beside the
# same backends reached directly, through HAProxy and through nginx, measured in the same run on
# the same machine.
#
#   bench/lb/run.sh                               # ROUNDS=2 x 4 targets x (15 s warm-up + 20 s)
#   DURATION=30 WARMUP=20 ROUNDS=3 bench/lb/run.sh
#   TARGETS="vigil haproxy" ROUNDS=1 bench/lb/run.sh
#
# Backends: 2 instances of bench/lb/keepalive_http.c (single-threaded epoll, HTTP/1.1
# keep-alive, a 200 with a 15-byte body), started BY VIGIL as the service `ka` with 2 instances
# on BASE_PORT and BASE_PORT+1, readiness `tcp {}` every 2 s, and a `load-balancer` block
# with only `listen` set (every other key at its default: least-request, retries 2, ...).
# The same two processes are the backends of every target:
#   direct   wrk -> instance 0 (one backend, no proxy)
#   vigil    wrk -> Vigil's load balancer (BASE_PORT+10) -> both instances
#   haproxy  wrk -> HAProxy (BASE_PORT+11), http mode, nbthread 2, balance leastconn, keep-alive
#            both sides, http-reuse always, both servers with `check inter 2s`, retries 2,
#            option redispatch, retry-on matching Vigil's default retry-on, X-Forwarded-For
#   nginx    wrk -> nginx (BASE_PORT+12), 2 worker processes, upstream least_conn, keepalive 64,
#            proxy_http_version 1.1, Connection "", X-Forwarded-For
# With 2 instances Vigil's least-request (power of two choices among 2 distinct instances) always
# compares both: it is least-connections, which is why HAProxy and nginx use leastconn/least_conn.
#
# For each round, for each target in turn (never two at once): wait until the machine is quiet
# (other programs below QUIET_MAX % of one core, at most QUIET_WAIT s, else go on and say so),
# WARMUP s of the same wrk load (Vigil's JIT compilers need it; every target gets the same),
# then DURATION s measured: wrk -t$WRK_THREADS -c$CONNS --latency, pinned with taskset to CPU
# $WRK_CPU (so that the load generator sits on the same core in every phase; the servers are
# not pinned: Vigil's JVM sizes its event loops and GC from the CPUs it may use). During the
# measured window the CPU of the proxy (per thread name), the backends, wrk and everything else
# on the host is sampled from /proc (bench/lb/cpu.py), and Vigil's GC counts with jstat. If
# other programs used more than NOISE_MAX % of one core during the window, the phase is measured
# again (after a 5 s warm-up), at most PHASE_TRIES times in all; the table marks what stayed noisy.
#
# Environment: DURATION (20), WARMUP (15), ROUNDS (2), CONNS (32), WRK_THREADS (1), WRK_CPU (1;
# empty: not pinned), TARGETS ("direct vigil haproxy nginx"), BASE_PORT (23000; uses +0, +1,
# +10, +11, +12), QUIET_MAX (40), QUIET_WAIT (120), NOISE_MAX (30), PHASE_TRIES (3),
# VIGIL_JAVA_OPTS (unset: bin/vigil's default, packaging/jvm.options), OUT_NAME (lb), REBUILD=1.
# Output: a table on stdout; wrk outputs, CPU samples, configs and logs in bench/out/$OUT_NAME/.
set -euo pipefail
source "$(dirname -- "$0")/../lib/common.sh"

DURATION=${DURATION:-20}
WARMUP=${WARMUP:-15}
ROUNDS=${ROUNDS:-2}
CONNS=${CONNS:-32}
WRK_THREADS=${WRK_THREADS:-1}
WRK_CPU=${WRK_CPU-1}
TARGETS=${TARGETS:-direct vigil haproxy nginx}
BASE_PORT=${BASE_PORT:-23000}
QUIET_MAX=${QUIET_MAX:-40}
QUIET_WAIT=${QUIET_WAIT:-120}
NOISE_MAX=${NOISE_MAX:-30}
PHASE_TRIES=${PHASE_TRIES:-3}
OUT_NAME=${OUT_NAME:-lb}
[[ $OUT_NAME =~ ^[A-Za-z0-9._-]+$ ]] || die "OUT_NAME: letters, digits, . _ - only"
BENCH_OUT="$BENCH_ROOT/out/$OUT_NAME"
LB_DIR="$BENCH_ROOT/lb"
CPU_PY="$LB_DIR/cpu.py"

# Targets for Vigil, against HAProxy measured in the same round.
TARGET_RPS_RATIO=0.9    # Vigil's req/s >= 0.9 x HAProxy's
TARGET_P99_RATIO=1.5    # Vigil's p99 <= 1.5 x HAProxy's

[[ $DURATION =~ ^[0-9]+$ && $DURATION -ge 5 && $DURATION -le 600 ]] || die "DURATION must be 5..600 s"
[[ $WARMUP =~ ^[0-9]+$ && $WARMUP -le 300 ]] || die "WARMUP must be 0..300 s"
[[ $ROUNDS =~ ^[0-9]+$ && $ROUNDS -ge 1 && $ROUNDS -le 10 ]] || die "ROUNDS must be 1..10"
[[ $CONNS =~ ^[0-9]+$ && $CONNS -ge 1 && $CONNS -le 1000 ]] || die "CONNS must be 1..1000"
[[ $WRK_THREADS =~ ^[0-9]+$ && $WRK_THREADS -ge 1 && $WRK_THREADS -le $CONNS ]] || die "WRK_THREADS must be 1..CONNS"
[[ -z $WRK_CPU || $WRK_CPU =~ ^[0-9]+$ ]] || die "WRK_CPU must be a CPU number or empty"
[[ $QUIET_MAX =~ ^[0-9]+$ && $QUIET_WAIT =~ ^[0-9]+$ && $QUIET_WAIT -le 1800 ]] || die "QUIET_MAX, QUIET_WAIT: integers, QUIET_WAIT <= 1800"
[[ $NOISE_MAX =~ ^[0-9]+$ && $PHASE_TRIES =~ ^[0-9]+$ && $PHASE_TRIES -ge 1 && $PHASE_TRIES -le 5 ]] || die "NOISE_MAX: integer; PHASE_TRIES: 1..5"
for t in $TARGETS; do
  [[ $t =~ ^(direct|vigil|haproxy|nginx)$ ]] || die "unknown target '$t' in TARGETS"
done
if [[ -n $WRK_CPU ]] && ! taskset -c "$WRK_CPU" true 2>/dev/null; then
  die "cannot pin to CPU $WRK_CPU (WRK_CPU); set WRK_CPU= to leave wrk unpinned"
fi

bench_init
rm -rf "$BENCH_OUT"
mkdir -p "$BENCH_OUT"

need_cmds gcc:gcc python3:python3 java:openjdk-17-jdk-headless mvn:maven jstat:openjdk-17-jdk-headless \
  wrk:wrk haproxy:haproxy nginx:nginx curl:curl taskset:util-linux
build_vigil
KA="$BENCH_OUT/keepalive_http"
gcc -O2 -Wall -o "$KA" "$LB_DIR/keepalive_http.c" >&2 || die "gcc failed"

P0=$BASE_PORT
P1=$((BASE_PORT + 1))
VIGIL_PORT=$((BASE_PORT + 10))
HAPROXY_PORT=$((BASE_PORT + 11))
NGINX_PORT=$((BASE_PORT + 12))
require_free_ports "$BASE_PORT" 13

nofile=$(ulimit -n)
((nofile >= 4096)) || ulimit -n 4096 2>/dev/null || log "warning: ulimit -n is $nofile"

# wait_bounded PID SECONDS: waits for our child PID; SIGTERM, then SIGKILL, if it outlives SECONDS.
wait_bounded() {
  local pid=$1 deadline=$((SECONDS + $2))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    log "warning: pid $pid still running after $2 s; stopping it"
    stop_pids 5 "$pid"
  fi
  wait "$pid" 2>/dev/null || true
}

# ---------------------------------------------------------------------------------------------
# Vigil, which also runs the two backends

VDIR="$BENCH_OUT/vigil"
mkdir -p "$VDIR"
cat >"$VDIR/vigil.conf" <<EOF
# generated by bench/lb/run.sh
vigil {
  state-dir = "state"
  # port 0: any free port, so that another Vigil on this host does not collide
  api.listen = "127.0.0.1:0"
  metrics.listen = "127.0.0.1:0"
}
services {
  ka {
    command = ["$KA"]
    instances = 2
    port = $P0
    # as HAProxy's "check inter 2s" (a TCP connect)
    probes { readiness { tcp {}, period = 2s } }
    # every other key at its default (docs/configuration.md): least-request, retries 2, ...
    load-balancer { listen = "127.0.0.1:$VIGIL_PORT" }
  }
}
EOF
log "starting Vigil (${VIGIL_JAVA_OPTS:-bin/vigil default JVM options}) with 2 keepalive_http instances"
"$REPO_ROOT/bin/vigil" run --config "$VDIR/vigil.conf" >"$VDIR/vigil.out" 2>"$VDIR/vigil.log" &
VPID=$!
bench_track "$VPID"
bench_on_exit_pre "vigil_instance_pids '$VDIR/state' >'$VDIR/instance.pids'"
bench_on_exit "stop_listed_exe '$KA' '$VDIR/instance.pids'"
python3 "$BENCH_PY" wait-vigil-ready "$VDIR/vigil.log" ka 2 60 \
  || { tail -20 "$VDIR/vigil.log" >&2; die "the instances did not become READY"; }
python3 "$BENCH_PY" wait-listening "$VIGIL_PORT" 1 30 || die "Vigil's load balancer is not listening"
vigil_instance_pids "$VDIR/state" >"$VDIR/instance.pids"
mapfile -t KA_PIDS <"$VDIR/instance.pids"
((${#KA_PIDS[@]} == 2)) || die "expected 2 instance pids, got: ${KA_PIDS[*]}"
BACKENDS=$(IFS=,; echo "${KA_PIDS[*]}")
tr '\0' ' ' <"/proc/$VPID/cmdline" >"$VDIR/cmdline"
timeout 20 jcmd "$VPID" VM.flags >"$VDIR/vm.flags" 2>&1 || true
timeout 20 jcmd "$VPID" VM.version >"$VDIR/vm.version" 2>&1 || true

# ---------------------------------------------------------------------------------------------
# HAProxy

HDIR="$BENCH_OUT/haproxy"
mkdir -p "$HDIR"
cat >"$HDIR/haproxy.cfg" <<EOF
# generated by bench/lb/run.sh
global
  nbthread 2
  maxconn 4096

defaults
  mode http
  timeout connect 1s
  timeout client 60s
  timeout server 15s
  timeout http-request 10s
  timeout http-keep-alive 60s
  option http-keep-alive
  http-reuse always
  option forwardfor
  retries 2
  option redispatch
  # Vigil's default retry-on: connect-failure, reset, gateway-error
  retry-on conn-failure empty-response response-timeout 502 503 504

frontend fe
  bind 127.0.0.1:$HAPROXY_PORT
  http-request set-header X-Forwarded-Proto http
  default_backend ka

backend ka
  balance leastconn
  server ka0 127.0.0.1:$P0 check inter 2s
  server ka1 127.0.0.1:$P1 check inter 2s
EOF
haproxy -c -q -f "$HDIR/haproxy.cfg" || die "haproxy rejects $HDIR/haproxy.cfg"
log "starting $(haproxy -v | head -1 | cut -d' ' -f1-3)"
haproxy -db -f "$HDIR/haproxy.cfg" >"$HDIR/haproxy.out" 2>&1 &
HPID=$!
bench_track "$HPID"
python3 "$BENCH_PY" wait-listening "$HAPROXY_PORT" 1 30 || die "HAProxy is not listening"

# ---------------------------------------------------------------------------------------------
# nginx

NDIR="$BENCH_OUT/nginx"
mkdir -p "$NDIR"
cat >"$NDIR/nginx.conf" <<EOF
# generated by bench/lb/run.sh
worker_processes 2;
pid $NDIR/nginx.pid;
error_log $NDIR/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $NDIR/tmp/body;
  proxy_temp_path $NDIR/tmp/proxy;
  fastcgi_temp_path $NDIR/tmp/fastcgi;
  uwsgi_temp_path $NDIR/tmp/uwsgi;
  scgi_temp_path $NDIR/tmp/scgi;
  # nginx closes a keep-alive connection after 1000 requests by default (both sides);
  # the other proxies have no such limit
  keepalive_requests 1000000;
  keepalive_timeout 60s;
  upstream ka {
    least_conn;
    server 127.0.0.1:$P0;
    server 127.0.0.1:$P1;
    keepalive 64;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://ka;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
    }
  }
}
EOF
mkdir -p "$NDIR/tmp"
NGINX=$(command -v nginx)
"$NGINX" -t -q -e "$NDIR/error.log" -p "$NDIR" -c "$NDIR/nginx.conf" || die "nginx rejects $NDIR/nginx.conf"
log "starting $("$NGINX" -v 2>&1 | cut -d' ' -f3)"
"$NGINX" -e "$NDIR/error.log" -p "$NDIR" -c "$NDIR/nginx.conf" -g 'daemon off;' >"$NDIR/nginx.out" 2>&1 &
NPID=$!
bench_track "$NPID"
# the workers are children of the master; they leave with it, else by pid
bench_on_exit "stop_listed_exe '$NGINX' '$NDIR/worker.pids'"
python3 "$BENCH_PY" wait-listening "$NGINX_PORT" 1 30 || die "nginx is not listening"
sleep 0.5
pgrep -P "$NPID" >"$NDIR/worker.pids" || true
NGINX_PIDS=$(paste -sd, - < <(echo "$NPID"; cat "$NDIR/worker.pids"))

# ---------------------------------------------------------------------------------------------
# Checks: every target answers 200, and the proxies spread requests over both backends

url_of() {
  case $1 in
    direct) echo "http://127.0.0.1:$P0/" ;;
    vigil) echo "http://127.0.0.1:$VIGIL_PORT/" ;;
    haproxy) echo "http://127.0.0.1:$HAPROXY_PORT/" ;;
    nginx) echo "http://127.0.0.1:$NGINX_PORT/" ;;
  esac
}
pids_of() {
  case $1 in
    direct) echo "" ;;
    vigil) echo "$VPID" ;;
    haproxy) echo "$HPID" ;;
    nginx) echo "$NGINX_PIDS" ;;
  esac
}
for t in $TARGETS; do
  : >"$BENCH_OUT/$t.check"
  for _ in $(seq 20); do
    curl -s --max-time 2 "$(url_of "$t")" >>"$BENCH_OUT/$t.check" || echo "curl failed" >>"$BENCH_OUT/$t.check"
  done
  grep -q 'curl failed' "$BENCH_OUT/$t.check" && die "$t: a request failed (see $BENCH_OUT/$t.check)"
  log "$t: 20 sequential requests answered by $(sort -u "$BENCH_OUT/$t.check" | tr '\n' ' ')"
done

# ---------------------------------------------------------------------------------------------
# Load

WRK=(wrk -t"$WRK_THREADS" -c"$CONNS" --latency --timeout 5s)
[[ -n $WRK_CPU ]] && WRK=(taskset -c "$WRK_CPU" "${WRK[@]}")

quiet_gate() {
  local waited=0 busy
  while :; do
    busy=$(python3 "$CPU_PY" busy 2)
    # everything of ours is idle between phases: what is busy is someone else
    if awk -v b="$busy" -v m="$QUIET_MAX" 'BEGIN { exit !(b <= m) }'; then
      echo "$busy" ; return 0
    fi
    if ((waited >= QUIET_WAIT)); then
      log "warning: the host is still busy (${busy} % of one core) after ${QUIET_WAIT}s; measuring anyway"
      echo "$busy"; return 0
    fi
    ((waited == 0)) && log "the host is busy (${busy} % of one core used by others); waiting up to ${QUIET_WAIT}s"
    sleep 3
    waited=$((waited + 5))
  done
}

jstat_gc() { timeout 20 jstat -gc "$VPID" >"$1" 2>&1 || true; }

# measure ROUND TARGET DIR WARMUP_S: one warm-up and one measured window into DIR
measure() {
  local round=$1 t=$2 dir=$3 warm=$4 url wpid pids
  url=$(url_of "$t")
  pids=$(pids_of "$t")
  quiet_gate >"$dir/quiet_before"
  if ((warm > 0)); then
    log "round $round, $t: warm-up ${warm}s (host busy before: $(cat "$dir/quiet_before") % of one core)"
    "${WRK[@]}" -d"${warm}s" "$url" >"$dir/warmup.txt" 2>&1 &
    wpid=$!
    wait_bounded "$wpid" $((warm + 30))
  fi
  log "round $round, $t: measuring ${DURATION}s: ${WRK[*]} -d${DURATION}s $url"
  if [[ $t == vigil ]]; then jstat_gc "$dir/jstat.before"; fi
  "${WRK[@]}" -d"${DURATION}s" "$url" >"$dir/wrk.txt" 2>&1 &
  wpid=$!
  sleep 0.5
  python3 "$CPU_PY" window $((DURATION - 1)) "proxy=$pids" "backends=$BACKENDS" "wrk=$wpid" \
    >"$dir/cpu.json"
  wait_bounded "$wpid" 40
  if [[ $t == vigil ]]; then jstat_gc "$dir/jstat.after"; fi
}

# phase ROUND TARGET: measures; a window in which other programs used more than NOISE_MAX % of
# one core is measured again (the noisy one is kept in DIR/noisy-N), at most PHASE_TRIES times.
phase() {
  local round=$1 t=$2 dir="$BENCH_OUT/round-$1/$2" try others
  mkdir -p "$dir"
  for ((try = 1; try <= PHASE_TRIES; try++)); do
    # a repeat needs only a short warm-up: the target was under load a moment ago
    measure "$round" "$t" "$dir" $((try == 1 ? WARMUP : (WARMUP < 5 ? WARMUP : 5)))
    others=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["others_pct"])' \
      "$dir/cpu.json" 2>/dev/null || echo 0)
    echo "$try" >"$dir/tries"
    { grep -E 'Requests/sec|^ +99%' "$dir/wrk.txt" || echo "no result"; } | tr -s ' ' | tr '\n' ' ' >&2
    echo "(others: $others % of one core)" >&2
    if awk -v o="$others" -v m="$NOISE_MAX" 'BEGIN { exit !(o <= m) }' || ((try == PHASE_TRIES)); then
      break
    fi
    log "round $round, $t: other programs used $others % of one core during the window; measuring again"
    mkdir -p "$dir/noisy-$try"
    mv "$dir"/wrk.txt "$dir"/cpu.json "$dir"/warmup.txt "$dir"/quiet_before "$dir/noisy-$try/" 2>/dev/null || true
    mv "$dir"/jstat.* "$dir/noisy-$try/" 2>/dev/null || true
  done
}

for ((r = 1; r <= ROUNDS; r++)); do
  for t in $TARGETS; do
    phase "$r" "$t"
  done
done

# ---------------------------------------------------------------------------------------------
# Facts, report

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "cpu: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "kernel: $(uname -sr)"
  echo "os: $(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "java: $(java -version 2>&1 | sed -n 2p)"
  echo "vigil jvm: $(cat "$VDIR/cmdline")"
  echo "vigil jvm flags: $(grep -oE -- '-XX:(\+Use[A-Za-z0-9]*GC|MaxHeapSize=[0-9]+|ActiveProcessorCount=[0-9]+)' "$VDIR/vm.flags" | tr '\n' ' ')"
  echo "vigil lb: $(grep -m1 -o 'load balancer for ka on .*' "$VDIR/vigil.log" || echo '?'); event loops: one per CPU the JVM sees"
  echo "haproxy: $(haproxy -v | head -1)"
  echo "nginx: $("$NGINX" -v 2>&1)"
  echo "wrk: $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-3)"
  echo "load: ${WRK[*]} -dDURATION; DURATION=$DURATION s after WARMUP=$WARMUP s, $ROUNDS round(s)"
} >"$BENCH_OUT/facts.txt"

NOISE_MAX=$NOISE_MAX python3 "$LB_DIR/report.py" "$BENCH_OUT" "$ROUNDS" "$TARGET_RPS_RATIO" "$TARGET_P99_RATIO" $TARGETS \
  | tee "$BENCH_OUT/report.txt"

log "stopping nginx, HAProxy and Vigil"
stop_pids 20 "$NPID" "$HPID"
stop_listed_exe "$NGINX" "$NDIR/worker.pids"
stop_pids 30 "$VPID"
stop_listed_exe "$KA" "$VDIR/instance.pids"
log "done; raw data in $BENCH_OUT"
