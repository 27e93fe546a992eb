# Shared by the benchmark scripts; sourced, not run. Bash.
#
# Everything a benchmark starts is recorded by pid (bench_track) and ended by pid on exit
# (bench_cleanup, installed as the EXIT trap by bench_init). Nothing is ever killed by name.

BENCH_ROOT=$(CDPATH= cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
REPO_ROOT=$(CDPATH= cd -- "$BENCH_ROOT/.." && pwd)
BENCH_LIB="$BENCH_ROOT/lib"
BENCH_PY="$BENCH_LIB/benchutil.py"

_BENCH_PIDS=()          # processes started directly by the script (SIGTERM, then SIGKILL, on exit)
_BENCH_PRE=()           # shell snippets run on exit before those are stopped (snapshots)
_BENCH_POST=()          # shell snippets run on exit after (leftover grandchildren, by pid)

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

bench_track() { _BENCH_PIDS+=("$@"); }
bench_on_exit_pre() { _BENCH_PRE+=("$1"); }
bench_on_exit() { _BENCH_POST+=("$1"); }

# Sends SIGTERM to each pid, waits up to $2 seconds for all to go, then SIGKILLs the rest.
# Only pids that are still alive and not zombies are touched.
stop_pids() {
  local wait_s=$1; shift
  local pid alive=()
  for pid in "$@"; do
    [[ $pid =~ ^[0-9]+$ ]] || continue
    kill -0 "$pid" 2>/dev/null && { kill -TERM "$pid" 2>/dev/null; alive+=("$pid"); }
  done
  local deadline=$((SECONDS + wait_s))
  while ((${#alive[@]} > 0 && SECONDS < deadline)); do
    local still=()
    for pid in "${alive[@]}"; do
      if kill -0 "$pid" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; then
        still+=("$pid")
      fi
    done
    alive=("${still[@]}")
    ((${#alive[@]} > 0)) && sleep 0.1
  done
  for pid in "${alive[@]}"; do kill -KILL "$pid" 2>/dev/null; done
  # reap our own children so no zombie is left behind
  for pid in "$@"; do wait "$pid" 2>/dev/null || true; done
  return 0
}

bench_cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  local hook
  for hook in "${_BENCH_PRE[@]}"; do eval "$hook" || true; done
  stop_pids 20 "${_BENCH_PIDS[@]}"
  for hook in "${_BENCH_POST[@]}"; do eval "$hook" || true; done
  return $rc
}

bench_init() {
  trap bench_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# Installs the Debian packages whose commands are missing: need_cmds "cmd:package" ...
need_cmds() {
  local missing=() spec
  for spec in "$@"; do
    command -v "${spec%%:*}" >/dev/null 2>&1 || missing+=("${spec#*:}")
  done
  ((${#missing[@]} == 0)) && return 0
  log "installing ${missing[*]} with apt-get"
  ((EUID == 0)) || die "need root to apt-get install ${missing[*]}"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >&2 || die "apt-get install ${missing[*]} failed"
}

# Builds bench/backend/tiny_http into $BENCH_OUT/tiny_http; prints its path.
build_tiny_http() {
  local out="$BENCH_OUT/tiny_http"
  gcc -O2 -Wall -o "$out" "$BENCH_ROOT/backend/tiny_http.c" >&2 || die "gcc failed"
  printf '%s\n' "$out"
}

# Builds vigil.jar unless it is there and current (REBUILD=1 forces a build). Not current: a
# source or pom is newer than the jar, or the jar's agent classes are not the agent module's
# (a `mvn -pl supervisor` build shades the agent jar from ~/.m2, which may be an old one: a
# benchmark would then measure old code without a word).
build_vigil() {
  local jar="$REPO_ROOT/supervisor/target/vigil.jar"
  if [[ ! -f $jar || ${REBUILD:-0} == 1 ]] || ! vigil_jar_current "$jar"; then
    log "building vigil.jar (mvn -B -q -DskipTests package)"
    (cd "$REPO_ROOT" && mvn -B -q -DskipTests package) >&2 || die "maven build failed"
  fi
  [[ -f $jar ]] || die "$jar missing after the build"
  vigil_jar_current "$jar" || die "$jar does not hold the agent module's classes after the build"
}

# vigil_jar_current JAR: whether JAR is newer than every source and pom, and holds exactly the
# agent module's compiled classes, byte for byte (CRC-32 of each).
vigil_jar_current() {
  local jar=$1 newer classes="$REPO_ROOT/agent/target/classes"
  newer=$(find "$REPO_ROOT/pom.xml" "$REPO_ROOT/agent/pom.xml" "$REPO_ROOT/supervisor/pom.xml" \
    "$REPO_ROOT/agent/src/main" "$REPO_ROOT/supervisor/src/main" -newer "$jar" -type f \
    -print -quit)
  [[ -z $newer ]] || return 1
  [[ -d $classes ]] || return 1
  python3 - "$jar" "$classes" <<'PY'
import os, sys, zipfile, zlib
jar, classes = sys.argv[1:]
in_jar = {i.filename: i.CRC for i in zipfile.ZipFile(jar).infolist()
          if i.filename.startswith("io/vigil/agent/") and i.filename.endswith(".class")}
built = {}
for root, _, files in os.walk(os.path.join(classes, "io")):
    for f in files:
        if f.endswith(".class"):
            path = os.path.join(root, f)
            with open(path, "rb") as data:
                built[os.path.relpath(path, classes)] = zlib.crc32(data.read())
sys.exit(0 if in_jar == built else 1)
PY
}

# Fails unless no TCP socket uses a port in [base, base+count).
require_free_ports() {
  python3 "$BENCH_PY" ports-free "$1" "$2" || die "ports $1..$(($1 + $2 - 1)) are not free; set BASE_PORT"
}

# Sends SIGTERM (then SIGKILL after $3 s) to the pids listed in file $2 whose executable is $1.
# For processes started by something the script started (a supervisor's children): a listed pid
# that has since been reused by an unrelated program is left alone.
stop_listed_exe() {
  local exe=$1 file=$2 wait_s=${3:-5} pid mine=()
  [[ -f $file ]] || return 0
  exe=$(readlink -f "$exe")
  while read -r pid; do
    [[ $pid =~ ^[0-9]+$ ]] || continue
    [[ $(readlink -f "/proc/$pid/exe" 2>/dev/null) == "$exe" ]] && mine+=("$pid")
  done <"$file"
  ((${#mine[@]} == 0)) && return 0
  log "stopping ${#mine[@]} leftover $(basename "$exe") process(es)"
  stop_pids "$wait_s" "${mine[@]}"
}

# Pids (column 3) of instances.tsv in Vigil's state dir $1, one a line.
vigil_instance_pids() {
  [[ -f $1/instances.tsv ]] && awk -F'\t' '!/^#/ && NF >= 3 {print $3}' "$1/instances.tsv"
  return 0
}

# The JVM options bin/vigil uses when VIGIL_JAVA_OPTS is unset: packaging/jvm.options, comments
# dropped, on one line.
vigil_default_java_opts() {
  sed 's/#.*//' "$REPO_ROOT/packaging/jvm.options" | xargs
}

# VIGIL_JAVA_OPTS that mean bin/vigil's defaults plus the options given.
vigil_default_java_opts_plus() {
  printf '@%s %s\n' "$REPO_ROOT/packaging/jvm.options" "$*"
}
