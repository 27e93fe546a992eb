#!/usr/bin/env bash
# Probe overhead: what it costs Vigil to probe 500 HTTP endpoints every second, beside monit
# doing the same 500 HTTP checks every second, measured in the same run on the same machine.
#
#   bench/probes/run.sh                       # WARMUP=300 s, then DURATION=60 s per phase
#   PHASES=live WARMUP=60 bench/probes/run.sh  # one phase, the first minutes' cost
#
# Phases, one after the other (never two at once):
#   1. Vigil, 500 instances of tiny_http, liveness AND readiness HTTP probes on "/" every 1 s
#      (timeout 500ms): 1000 probes/s.
#   2. Vigil, the same with liveness only: 500 probes/s.
#   2a. Vigil, liveness only, with its status API in use: GET /v1/services every SCRAPE_INTERVAL
#      (15 s; 15 s also when SCRAPE_INTERVAL is 0) from the warm-up on, as an open status page or a polling script would. Vigil builds
#      the API's Jersey application on the first request (about 20 MB of classes and caches), so
#      phase 2 is a Vigil whose API nobody has called yet, and this phase one whose API is used.
#   2b. (SAMPLER_OFF=1, the default) Vigil, liveness only, with `vigil.sample-interval = 1h`: no
#      per-instance resource sampling during the window (by default it samples instances with a
#      memory limit every 5 s, none here, and the others when the metrics or the API read them,
#      at most every 5 s; with 1h, once an hour), nor log rotation checks, so this row is the cost
#      of probing alone.
#   2c. Vigil, liveness only, after a rolling restart of all instances (POST
#      /v1/services/tiny/restart once they are READY, then the warm-up): their start times, and so
#      their probes' phases, are spread over the restart's seconds, as in a Vigil whose instances
#      have been restarted at different times, where the other phases start all 500 at once. Its
#      API has been called, so its memory is that of phase 2a.
#   3. monit (`set daemon 1`), 500 `check host` entries, each
#      `if failed port N protocol http request "/" then alert`, against 500 tiny_http processes
#      the script starts itself: 500 checks/s, if monit keeps up with its 1 s cycle.
#   4. the floor: floor_prober.c (built here with gcc) against 500 tiny_http processes, one
#      kept-alive connection each, per probe one send() of a ready-made request and one recv()
#      and nothing else, in ten bursts a second: what the kernel's side of 500 probes/s
#      (loopback TCP, waking 500 backends, the prober's own sleeps) costs on this machine, so
#      what no prober can go under. Its row says how much of Vigil's CPU is Vigil's own work.
# Each phase waits until everything is up (Vigil: all instances READY), waits WARMUP seconds
# (Vigil) or PEER_WARMUP seconds (monit, the floor), then samples the supervisor's
# process for DURATION seconds: CPU (utime+stime from /proc/PID/stat, in % of one core; the JIT
# compiler threads' share is shown apart), VmRSS, threads. Vigil's own probe counter (its
# metrics) tells how many probes were really run; the host's TCP ActiveOpens counter how many
# connections were opened (monit opens one per check; Vigil keeps them alive).
# Vigil runs with bin/vigil's JVM options (packaging/jvm.options), what a user gets.
#
# WARMUP is 300 s because the target is what Vigil costs while it runs, and the JVM's JIT
# compilers are busy for the first minutes (C2 alone 0.6-0.7 % of a core one to two minutes after
# start, under 0.1 % after five; docs/performance.md): WARMUP=60 measures those minutes instead.
# The peers are C programs with nothing to warm up but their connections.
# Environment: DURATION (60), WARMUP (300), PEER_WARMUP (60), INSTANCES (500), BASE_PORT (21000),
# VIGIL_JAVA_OPTS (bin/vigil's defaults when unset; passed to java by bin/vigil), SAMPLER_OFF (1),
# SKIP_MONIT=1, SKIP_FLOOR=1, PHASES (the Vigil phases to run, default "live-ready live live-api live-rolled live-nosample"; e.g.
# PHASES=live while iterating), KEEP_ALIVE (unset: Vigil's default; true or false sets the
# probes' `http { keep-alive }`), SAMPLE_INTERVAL (unset: Vigil's default; e.g. 10s, for the
# live-ready and live phases),
# METRICS_PORT (9651: Vigil's metrics, read before and after each window to count the probes
# really run), SCRAPE_INTERVAL (15: Vigil's metrics are also fetched every 15 s from the start of
# the warm-up to the end of the window, as Prometheus would; 0: only the two reads), NMT=1 (adds -XX:NativeMemoryTracking=summary and saves
# `jcmd VM.native_memory summary`), REBUILD=1, OUT (probes: the directory under bench/out; with
# different OUT, BASE_PORT and METRICS_PORT two runs can go side by side, for an A/B comparison
# under the same machine load).
# Output: a table on stdout; raw JSON and logs in bench/out/probes/.
set -euo pipefail
source "$(dirname -- "$0")/../lib/common.sh"

DURATION=${DURATION:-60}
WARMUP=${WARMUP:-300}
PEER_WARMUP=${PEER_WARMUP:-60}
INSTANCES=${INSTANCES:-500}
BASE_PORT=${BASE_PORT:-21000}
PHASES=${PHASES:-live-ready live live-api live-rolled live-nosample}
KEEP_ALIVE=${KEEP_ALIVE:-}
SAMPLE_INTERVAL=${SAMPLE_INTERVAL:-}
METRICS_PORT=${METRICS_PORT:-9651}
SCRAPE_INTERVAL=${SCRAPE_INTERVAL:-15}
# Unset: bin/vigil's own defaults (the flags the daemon ships with) apply.
[[ ${NMT:-0} == 1 ]] && export VIGIL_JAVA_OPTS="${VIGIL_JAVA_OPTS:-$(vigil_default_java_opts_plus)} -XX:NativeMemoryTracking=summary"
BENCH_OUT="$BENCH_ROOT/out/${OUT:-probes}"
READY_TIMEOUT=${READY_TIMEOUT:-300}

# Target for Vigil at 500 probes/s.
TARGET_CPU_PCT=2.5
TARGET_RSS_MB=128

[[ $DURATION =~ ^[0-9]+$ && $DURATION -ge 5 && $DURATION -le 3600 ]] || die "DURATION must be 5..3600 s"
[[ $WARMUP =~ ^[0-9]+$ && $WARMUP -le 600 ]] || die "WARMUP must be 0..600 s"
[[ $PEER_WARMUP =~ ^[0-9]+$ && $PEER_WARMUP -le 600 ]] || die "PEER_WARMUP must be 0..600 s"
[[ $SCRAPE_INTERVAL =~ ^(0|[1-9][0-9]*)$ ]] || die "SCRAPE_INTERVAL must be a whole number of seconds (0: off)"

# scrape_every SECONDS URL: GETs URL every SECONDS, as Prometheus would, until killed (one
# process, no children, so that killing it leaves nothing behind).
scrape_every() {
  exec python3 -c '
import sys, time, urllib.request
every, url = float(sys.argv[1]), sys.argv[2]
while True:
    try:
        urllib.request.urlopen(url, timeout=10).read()
    except Exception:  # whatever one scrape hit, keep scraping
        pass
    time.sleep(every)
' "$1" "$2"
}
[[ $INSTANCES =~ ^[0-9]+$ && $INSTANCES -ge 1 && $INSTANCES -le 2000 ]] || die "INSTANCES must be 1..2000"
[[ -z $KEEP_ALIVE || $KEEP_ALIVE == true || $KEEP_ALIVE == false ]] || die "KEEP_ALIVE must be true or false"
for phase in $PHASES; do
  [[ $phase =~ ^(live-ready|live|live-api|live-rolled|live-nosample)$ ]] || die "unknown phase '$phase' in PHASES"
done

bench_init
rm -rf "$BENCH_OUT"
mkdir -p "$BENCH_OUT"

need_cmds gcc:gcc python3:python3 java:openjdk-17-jdk-headless mvn:maven
[[ ${SKIP_MONIT:-0} == 1 ]] || need_cmds monit:monit
build_vigil
TINY=$(build_tiny_http)

nofile=$(ulimit -n)
if ((nofile < 4 * INSTANCES + 1024)); then
  ulimit -n $((4 * INSTANCES + 1024)) 2>/dev/null || log "warning: ulimit -n is $nofile"
fi

# ---------------------------------------------------------------------------------------------
# Vigil

# run_vigil NAME PROBES(both|liveness) [SAMPLE_INTERVAL] [API(api|roll)]: one Vigil phase;
# writes $BENCH_OUT/NAME.json. With API=api, the status API is called every SCRAPE_INTERVAL s (at
# least once) from the warm-up to the end of the window; with API=roll, it is asked once for a
# rolling restart of every instance, which ends before the warm-up starts.
run_vigil() {
  local name=$1 probes=$2 sample=${3:-} use_api=${4:-} dir="$BENCH_OUT/$1"
  mkdir -p "$dir"
  require_free_ports "$BASE_PORT" "$INSTANCES"
  local readiness=""
  [[ $probes == both ]] && readiness="readiness { http { path = \"/\"${KEEP_ALIVE:+, keep-alive = $KEEP_ALIVE} }, period = 1s, timeout = 500ms }"
  cat >"$dir/vigil.conf" <<EOF
# generated by bench/probes/run.sh
vigil {
  state-dir = "state"
  ${sample:+sample-interval = $sample}
  metrics { listen = "127.0.0.1:$METRICS_PORT" }
  api { listen = "127.0.0.1:0" }
}
services {
  tiny {
    command = ["$TINY"]
    instances = $INSTANCES
    port = $BASE_PORT
    probes {
      liveness { http { path = "/"${KEEP_ALIVE:+, keep-alive = $KEEP_ALIVE} }, period = 1s, timeout = 500ms }
      $readiness
    }
  }
}
EOF
  log "$name: starting Vigil (${VIGIL_JAVA_OPTS:-bin/vigil defaults}) with $INSTANCES instances, probes: $probes${sample:+, sample-interval $sample}"
  "$REPO_ROOT/bin/vigil" run --config "$dir/vigil.conf" >"$dir/vigil.out" 2>"$dir/vigil.log" &
  local vpid=$!
  bench_track "$vpid"
  # if the script dies mid-phase: remember the instances before Vigil is stopped, and kill any
  # that survive it (by pid, and only if they are still our tiny_http)
  bench_on_exit_pre "vigil_instance_pids '$dir/state' >'$dir/instance.pids'"
  bench_on_exit "stop_listed_exe '$TINY' '$dir/instance.pids'"

  python3 "$BENCH_PY" wait-vigil-ready "$dir/vigil.log" tiny "$INSTANCES" "$READY_TIMEOUT" \
    || { tail -20 "$dir/vigil.log" >&2; die "$name: instances did not all become READY"; }
  if [[ $use_api == roll ]]; then
    rolling_restart "$name" "$dir"
  fi
  log "$name: all $INSTANCES instances READY; warming up ${WARMUP}s"
  # Prometheus-like scrapes of Vigil's metrics from now to the end of the window: a real Vigil is
  # scraped all along, so its exposition code is warm and the window pays for its scrapes.
  local scraper=
  if ((SCRAPE_INTERVAL > 0)); then
    scrape_every "$SCRAPE_INTERVAL" "http://127.0.0.1:$METRICS_PORT/metrics" &
    scraper=$!
    bench_track "$scraper"
  fi
  local api_poller=
  if [[ $use_api == api ]]; then
    local api_url
    api_url=$(grep -oE 'status API and page on http://127\.0\.0\.1:[0-9]+/' "$dir/vigil.log" \
      | head -1 | sed 's/.* on //') || true
    [[ -n $api_url ]] || die "$name: no API address in $dir/vigil.log"
    python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=30).read()' \
      "${api_url}v1/services" || die "$name: GET ${api_url}v1/services failed"
    scrape_every "$(( SCRAPE_INTERVAL > 0 ? SCRAPE_INTERVAL : 15 ))" "${api_url}v1/services" &
    api_poller=$!
    bench_track "$api_poller"
  fi
  sleep "$WARMUP"
  local lines_before
  lines_before=$(wc -l <"$dir/vigil.log")
  log "$name: measuring Vigil (pid $vpid) for ${DURATION}s"
  python3 "$BENCH_PY" measure "$vpid" "$DURATION" "http://127.0.0.1:$METRICS_PORT/metrics" \
    >"$dir/measure.json"
  # transitions during the window: with healthy backends there should be none
  tail -n +"$((lines_before + 1))" "$dir/vigil.log" | grep -cE ' [A-Z]+ -> [A-Z]+ ' \
    >"$dir/transitions" || true
  [[ -n $scraper ]] && stop_pids 5 "$scraper"
  [[ -n $api_poller ]] && stop_pids 5 "$api_poller"
  python3 "$BENCH_PY" memmap "$vpid" >"$dir/memmap.json" || true
  java_threads_dump "$vpid" "$dir"
  [[ ${NMT:-0} == 1 ]] && { timeout 20 jcmd "$vpid" VM.native_memory summary >"$dir/nmt.txt" 2>&1 || true; }

  log "$name: stopping Vigil"
  vigil_instance_pids "$dir/state" >"$dir/instance.pids"
  stop_pids 30 "$vpid"
  stop_listed_exe "$TINY" "$dir/instance.pids"
  cp "$dir/measure.json" "$BENCH_OUT/$name.json"
}

# rolling_restart NAME DIR: asks Vigil's API for a rolling restart of every instance and waits
# until each has been started again (liveness only: READY at once).
rolling_restart() {
  local name=$1 dir=$2 api_url started waited=0
  api_url=$(grep -oE 'status API and page on http://127\.0\.0\.1:[0-9]+/' "$dir/vigil.log" \
    | head -1 | sed 's/.* on //') || true
  [[ -n $api_url ]] || die "$name: no API address in $dir/vigil.log"
  log "$name: rolling restart of all $INSTANCES instances"
  python3 -c 'import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1], method="POST"), timeout=30).read()' \
    "${api_url}v1/services/tiny/restart" || die "$name: POST ${api_url}v1/services/tiny/restart failed"
  while :; do
    started=$(grep -c 'EXITED -> STARTING (rolling restart requested' "$dir/vigil.log" || true)
    ((started >= INSTANCES)) && break
    ((waited++ < READY_TIMEOUT)) || die "$name: rolling restart incomplete after ${READY_TIMEOUT}s ($started restarted)"
    sleep 1
  done
  python3 "$BENCH_PY" wait-vigil-ready "$dir/vigil.log" tiny "$INSTANCES" "$READY_TIMEOUT" \
    || die "$name: instances not READY after the rolling restart"
  log "$name: rolling restart done in about ${waited}s"
}

# A thread dump (jstack) for the record: its "process reaper" threads can be compared with the
# count taken from /proc/PID/task/*/comm in measure.json (they agreed: 500 of 526).
java_threads_dump() {
  local jstack
  jstack=$(command -v jstack || true)
  [[ -n $jstack ]] || return 0
  timeout 20 "$jstack" "$1" >"$2/jstack.txt" 2>/dev/null || return 0
}

# ---------------------------------------------------------------------------------------------
# monit

# start_backends NAME DIR: INSTANCES tiny_http processes on BASE_PORT.., for a peer that does
# not start its own; their pids in DIR/backend.pids (stopped on exit too).
start_backends() {
  local name=$1 dir=$2 i
  require_free_ports "$BASE_PORT" "$INSTANCES"
  log "$name: starting $INSTANCES tiny_http backends on $BASE_PORT.."
  : >"$dir/backend.pids"
  bench_on_exit "stop_listed_exe '$TINY' '$dir/backend.pids'"
  for ((i = 0; i < INSTANCES; i++)); do
    "$TINY" $((BASE_PORT + i)) >/dev/null 2>>"$dir/backends.err" &
    echo "$!" >>"$dir/backend.pids"
  done
  python3 "$BENCH_PY" wait-listening "$BASE_PORT" "$INSTANCES" 60 || die "backends did not start"
}

stop_backends() {
  stop_listed_exe "$TINY" "$1/backend.pids"
}

# warm_up_peer NAME PID OUTPUT: tracks a peer just started in the background, fails with its
# OUTPUT if it does not survive its start, then waits PEER_WARMUP seconds before its window.
warm_up_peer() {
  local name=$1 pid=$2 output=$3
  bench_track "$pid"
  sleep 2
  kill -0 "$pid" 2>/dev/null || { cat "$output" >&2; die "$name exited"; }
  log "$name: warming up ${PEER_WARMUP}s"
  sleep "$PEER_WARMUP"
  log "$name: measuring pid $pid for ${DURATION}s"
}

run_monit() {
  local name=monit dir="$BENCH_OUT/monit"
  mkdir -p "$dir"
  start_backends monit "$dir"

  {
    echo "# generated by bench/probes/run.sh"
    echo "set daemon 1"
    echo "set logfile $dir/monit.log"
    echo "set pidfile $dir/monit.pid"
    echo "set idfile $dir/monit.id"
    echo "set statefile $dir/monit.state"
    for ((i = 0; i < INSTANCES; i++)); do
      echo "check host tiny$i with address 127.0.0.1"
      echo "  if failed port $((BASE_PORT + i)) protocol http request \"/\" then alert"
    done
  } >"$dir/monitrc"
  chmod 600 "$dir/monitrc"
  monit -t -c "$dir/monitrc" >&2 || die "monit rejects $dir/monitrc"
  log "monit: starting $(monit -V | head -1) in the foreground (-I)"
  monit -I -c "$dir/monitrc" >"$dir/monit.out" 2>&1 &
  local mpid=$!
  warm_up_peer monit "$mpid" "$dir/monit.out"
  python3 "$BENCH_PY" measure "$mpid" "$DURATION" >"$dir/measure.json"
  grep -ciE 'failed|error' "$dir/monit.log" >"$dir/failures" || true
  stop_pids 20 "$mpid"
  stop_backends "$dir"
  cp "$dir/measure.json" "$BENCH_OUT/$name.json"
}

# ---------------------------------------------------------------------------------------------
# The floor: floor_prober.c, one send() and one recv() per probe on kept-alive connections and
# nothing else, so what the kernel's side of probing costs on this machine.

run_floor() {
  local name=floor dir="$BENCH_OUT/floor"
  mkdir -p "$dir"
  local prober="$BENCH_OUT/floor_prober"
  gcc -O2 -Wall -o "$prober" "$BENCH_ROOT/probes/floor_prober.c" >&2 || die "gcc failed"
  start_backends floor "$dir"
  "$prober" "$BASE_PORT" "$INSTANCES" "$dir/counts" >"$dir/prober.out" 2>&1 &
  local fpid=$!
  warm_up_peer floor "$fpid" "$dir/prober.out"
  local before after
  before=$(cat "$dir/counts")
  python3 "$BENCH_PY" measure "$fpid" "$DURATION" >"$dir/measure.json"
  after=$(cat "$dir/counts")
  kill -0 "$fpid" 2>/dev/null || { cat "$dir/prober.out" >&2; die "floor_prober exited"; }
  # the probes answered during the window, per second, into the measurement
  python3 - "$dir/measure.json" "$before" "$after" "$DURATION" <<'PY'
import json, sys
path, before, after, duration = sys.argv[1], sys.argv[2].split(), sys.argv[3].split(), float(sys.argv[4])
m = json.load(open(path))
m["probes_per_s"] = (int(after[1]) - int(before[1])) / duration
m["failed_per_s"] = ((int(after[0]) - int(before[0])) - (int(after[1]) - int(before[1]))) / duration
json.dump(m, open(path, "w"))
PY
  stop_pids 10 "$fpid"
  stop_backends "$dir"
  cp "$dir/measure.json" "$BENCH_OUT/$name.json"
}

[[ " $PHASES " == *" live-ready "* ]] && run_vigil vigil-live-ready both "$SAMPLE_INTERVAL"
[[ " $PHASES " == *" live "* ]] && run_vigil vigil-live liveness "$SAMPLE_INTERVAL"
[[ " $PHASES " == *" live-api "* ]] && run_vigil vigil-live-api liveness "$SAMPLE_INTERVAL" api
[[ " $PHASES " == *" live-rolled "* ]] && run_vigil vigil-live-rolled liveness "$SAMPLE_INTERVAL" roll
[[ ${SAMPLER_OFF:-1} == 1 && " $PHASES " == *" live-nosample "* ]] \
  && run_vigil vigil-live-nosample liveness 1h
[[ ${SKIP_MONIT:-0} == 1 ]] || run_monit
[[ ${SKIP_FLOOR:-0} == 1 ]] || run_floor

# ---------------------------------------------------------------------------------------------
# Report

python3 - "$BENCH_OUT" "$INSTANCES" "$DURATION" "${VIGIL_JAVA_OPTS:-$(vigil_default_java_opts)}" "$TARGET_CPU_PCT" \
  "$TARGET_RSS_MB" "$(nproc)" "$WARMUP" "$PEER_WARMUP" <<'PY'
import json, os, sys
out, n, duration, jopts, tcpu, trss, cores, warmup, peer_warmup = sys.argv[1:]
n, tcpu, trss = int(n), float(tcpu), float(trss)

def load(name):
    p = os.path.join(out, name + ".json")
    return json.load(open(p)) if os.path.exists(p) else None

def read(path, default="?"):
    try:
        return open(os.path.join(out, path)).read().strip()
    except OSError:
        return default

runs = [
    ("Vigil liveness+readiness", "vigil-live-ready", 2 * n),
    ("Vigil liveness only", "vigil-live", n),
    ("Vigil liveness, API in use", "vigil-live-api", n),
    ("Vigil liveness, rolled", "vigil-live-rolled", n),
    ("Vigil liveness, no sampling", "vigil-live-nosample", n),
    ("monit, 1 s cycle", "monit", n),
    ("floor (floor_prober.c)", "floor", n),
]
print()
print("Probe overhead: %d HTTP endpoints (tiny_http on 127.0.0.1), %s s window, %s cores"
      % (n, duration, cores))
print("Windows begin %s s after all of Vigil's instances are READY (WARMUP), %s s after a"
      " peer started (PEER_WARMUP)" % (warmup, peer_warmup))
print("Vigil JVM options: %s (bin/vigil, VIGIL_JAVA_OPTS)" % jopts)
print()
hdr = ("%-28s %8s %8s %8s %16s %8s %12s %14s %14s %9s"
       % ("run", "probes/s", "ran/s", "conn/s*", "CPU % (usr+sys)", "of it JIT", "CPU us/probe",
          "RSS avg/max MB", "threads(reap)", "host CPU%"))
print(hdr)
print("-" * len(hdr))
per_probe = {}
for label, key, configured in runs:
    m = load(key)
    if m is None:
        continue
    # the probes really made: Vigil's own count when there is one (kept-alive connections open
    # no connection per probe), else the host's connection count, unless other traffic
    # inflated it
    rate = m.get("probes_per_s") or min(configured, m["host_tcp_opens_per_s"]) or configured
    us = m["cpu_pct"] / 100.0 * 1e6 / rate
    per_probe[key] = us
    ran = m.get("probes_per_s")
    print("%-28s %8d %8s %8.0f %16s %8.2f %12.1f %14s %14s %9.0f"
          % (label, configured, "-" if ran is None else "%.0f" % ran, m["host_tcp_opens_per_s"],
             "%.2f (%.1f+%.1f)" % (m["cpu_pct"], m["cpu_user_pct"], m["cpu_sys_pct"]),
             m.get("jit_cpu_pct", 0.0), us,
             "%.0f/%.0f" % (m["rss_avg_mb"], m["rss_max_mb"]),
             "%d(%d)" % (m["threads_max"], m["reaper_threads"]), m["host_cpu_busy_pct"]))
print("* conn/s: TCP connections opened on the host per second during the window (ActiveOpens)."
      " CPU us/probe divides by the probes Vigil ran (its metrics), for monit by the smaller of"
      " conn/s and probes/s, for the floor by the answers it counted.")
print("  of it JIT: the share of the JIT compiler threads (C1, C2) in CPU %.")
print("  CPU % is of one core; threads(reap) = threads of the process (JDK \"process reaper\""
      " threads among them).")
print("  host CPU%: the whole machine's CPU use during the window, in % of one core (the"
      " supervisor, the backends, and anything else running).")
for key in ("vigil-live-ready", "vigil-live", "vigil-live-api", "vigil-live-rolled", "vigil-live-nosample"):
    if not load(key):
        continue
    t = read(key + "/transitions")
    print("  %s: %s instance state transitions during the window" % (key, t))
if load("monit"):
    print("  monit: %s log lines mentioning failed/error during the whole run"
          % read("monit/failures"))
print()
if "vigil-live" in per_probe and "monit" in per_probe:
    print("Ratio Vigil/monit, CPU per probe: %.2f (liveness only, %d/s vs %d/s)"
          % (per_probe["vigil-live"] / per_probe["monit"], n, n))
    if "vigil-live-nosample" in per_probe:
        print("Ratio Vigil/monit, CPU per probe: %.2f (liveness only, resource sampling off)"
              % (per_probe["vigil-live-nosample"] / per_probe["monit"]))
    if "vigil-live-ready" in per_probe:
        print("Ratio Vigil/monit, CPU per probe: %.2f (liveness+readiness, %d/s vs %d/s)"
              % (per_probe["vigil-live-ready"] / per_probe["monit"], 2 * n, n))
if "vigil-live" in per_probe and "floor" in per_probe:
    print("Ratio Vigil/floor, CPU per probe: %.2f (the floor: one send() and one recv() per probe,"
          " nothing else)" % (per_probe["vigil-live"] / per_probe["floor"]))
m = load("floor")
if m and m.get("failed_per_s"):
    print("  floor: %.1f probes/s sent but not answered 2xx/3xx in the window" % m["failed_per_s"])
m = load("vigil-live")
if m:
    ok = m["cpu_pct"] < tcpu and m["rss_max_mb"] < trss
    print("Target at %d probes/s: Vigil < %.1f %% of one core and < %.0f MB RSS -> %s "
          "(%.2f %%, max %.0f MB; status API not called)"
          % (n, tcpu, trss, "MET" if ok else "MISSED", m["cpu_pct"], m["rss_max_mb"]))
m = load("vigil-live-api")
if m:
    ok = m["cpu_pct"] < tcpu and m["rss_max_mb"] < trss
    print("Target at %d probes/s with the status API in use -> %s (%.2f %%, max %.0f MB)"
          % (n, "MET" if ok else "MISSED", m["cpu_pct"], m["rss_max_mb"]))
m = load("vigil-live-rolled")
if m:
    ok = m["cpu_pct"] < tcpu and m["rss_max_mb"] < trss
    print("Target at %d probes/s after a rolling restart (probe phases spread) -> %s (%.2f %%,"
          " max %.0f MB; its API was called)"
          % (n, "MET" if ok else "MISSED", m["cpu_pct"], m["rss_max_mb"]))
for key in ("vigil-live-ready", "vigil-live", "vigil-live-api", "vigil-live-rolled", "vigil-live-nosample"):
    m = load(key)
    if m:
        print()
        print("%s: CPU by thread name (%% of one core; context switches per second):" % key)
        for t in m["thread_cpu"]:
            print("  %-28s x%-4d %6.2f %8s" % (t["name"], t["threads"], t["cpu_pct"],
                                              "%d/s" % t.get("switches_per_s", 0)))
for key in ("vigil-live",):
    try:
        mm = json.load(open(os.path.join(out, key, "memmap.json")))
    except (OSError, ValueError):
        continue
    print()
    print("%s: resident memory by mapping at the end of the window (MB; 'anon NK' x count ="
          " anonymous mappings of that size, e.g. thread stacks):" % key)
    for t in mm["top"][:8]:
        print("  %-60s x%-4d %6.1f" % (t["mapping"][-60:], t["count"], t["rss_mb"]))
PY
log "done; raw data in $BENCH_OUT"
