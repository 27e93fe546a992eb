#!/usr/bin/env python3
"""Small helpers for the benchmark scripts (Linux only, standard library only).

  benchutil.py ports-free BASE COUNT
      exit 0 iff no TCP socket (v4 or v6) listens on a port in [BASE, BASE+COUNT) (TIME_WAIT
      leftovers of earlier connections do not count: the servers bind with SO_REUSEADDR)
  benchutil.py wait-listening BASE COUNT TIMEOUT_S
      exit 0 once every port in [BASE, BASE+COUNT) accepts a connection on 127.0.0.1
  benchutil.py wait-vigil-ready LOGFILE SERVICE COUNT TIMEOUT_S
      exit 0 once Vigil's log shows instances 0..COUNT-1 of SERVICE in state READY
  benchutil.py measure PID DURATION_S [METRICS_URL]
      samples the process for DURATION_S seconds and prints one JSON object: CPU in % of one core
      (utime+stime delta from /proc/PID/stat over the wall-clock window), VmRSS (average, max,
      last, sampled every second), threads (max of /proc/PID/status Threads), JDK process reaper
      threads, the host's TCP connections opened per second (/proc/net/snmp ActiveOpens delta),
      the whole host's CPU use over the window (to spot other load on the machine),
      and the CPU of each thread name (from /proc/PID/task/*/stat) to show who burns it.
      With METRICS_URL (Vigil's Prometheus endpoint), also the probes Vigil really ran per second:
      the sum of its vigil_probe_duration_seconds_count, read just before and just after the
      window (outside it, so the scrapes' own cost is not charged to the window). Needed since
      probes over kept-alive connections open no connection each.
  benchutil.py memmap PID
      resident memory grouped by mapping (/proc/PID/smaps), as JSON: shows thread stacks (many
      equal anonymous mappings), malloc arenas, the heap, libjvm...
"""
import json
import os
import re
import socket
import sys
import time
import urllib.request

CLK_TCK = os.sysconf("SC_CLK_TCK")


def listening_ports():
    ports = set()
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(name) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    if fields[3] == "0A":  # TCP_LISTEN
                        ports.add(int(fields[1].rsplit(":", 1)[1], 16))
        except FileNotFoundError:
            pass
    return ports


def ports_free(base, count):
    busy = sorted(p for p in listening_ports() if base <= p < base + count)
    if busy:
        print("ports in use: %s" % ", ".join(map(str, busy[:20])), file=sys.stderr)
        return 1
    return 0


def accepts(port, timeout=0.2):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_listening(base, count, timeout_s):
    deadline = time.monotonic() + timeout_s
    pending = list(range(base, base + count))
    while pending and time.monotonic() < deadline:
        pending = [p for p in pending if not accepts(p)]
        if pending:
            time.sleep(0.1)
    if pending:
        print("%d ports not listening after %ss (first %d)" % (len(pending), timeout_s, pending[0]),
              file=sys.stderr)
        return 1
    return 0


TRANSITION = re.compile(r"\b([a-z0-9][a-z0-9-]*)/(\d+) ([A-Z]+) -> ([A-Z]+)\b")


def wait_vigil_ready(logfile, service, count, timeout_s):
    deadline = time.monotonic() + timeout_s
    state = {}
    pos = 0
    while time.monotonic() < deadline:
        try:
            with open(logfile, "rb") as f:
                f.seek(pos)
                chunk = f.read()
            # only consume whole lines
            cut = chunk.rfind(b"\n") + 1
            pos += cut
            for line in chunk[:cut].decode("utf-8", "replace").splitlines():
                m = TRANSITION.search(line)
                if m and m.group(1) == service:
                    state[int(m.group(2))] = m.group(4)
        except FileNotFoundError:
            pass
        ready = sum(1 for i in range(count) if state.get(i) == "READY")
        if ready == count:
            return 0
        time.sleep(0.2)
    ready = sum(1 for i in range(count) if state.get(i) == "READY")
    print("only %d of %d instances READY after %ss" % (ready, count, timeout_s), file=sys.stderr)
    return 1


def proc_cpu_split(path):
    """(utime, stime) in clock ticks, from a /proc/.../stat file."""
    with open(path) as f:
        data = f.read()
    # the command name may contain spaces or parentheses: fields start after the last ')'
    rest = data[data.rindex(")") + 2:].split()
    return int(rest[11]), int(rest[12])  # fields 14 and 15


def proc_cpu_ticks(path):
    return sum(proc_cpu_split(path))


def status_fields(pid):
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            key, _, value = line.partition(":")
            out[key] = value.strip()
    return out


def context_switches(path):
    """Voluntary + involuntary context switches of a task, from its status file."""
    total = 0
    with open(path) as f:
        for line in f:
            if "ctxt_switches:" in line:  # voluntary_... and nonvoluntary_...
                total += int(line.split()[1])
    return total


def threads_by_tid(pid):
    """tid -> (name, CPU ticks, context switches)."""
    result = {}
    base = "/proc/%d/task" % pid
    for tid in os.listdir(base):
        try:
            with open("%s/%s/comm" % (base, tid)) as f:
                comm = f.read().strip()
            result[int(tid)] = (comm, proc_cpu_ticks("%s/%s/stat" % (base, tid)),
                                context_switches("%s/%s/status" % (base, tid)))
        except (FileNotFoundError, ProcessLookupError, ValueError):
            pass
    return result


def active_opens():
    with open("/proc/net/snmp") as f:
        lines = [l.split() for l in f if l.startswith("Tcp:")]
    header, values = lines[0], lines[1]
    return int(values[header.index("ActiveOpens")])


def host_cpu():
    """(busy, total) jiffies of all CPUs, from the first line of /proc/stat."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + (v[4] if len(v) > 4 else 0)  # idle + iowait
    return sum(v[:8]) - idle, sum(v[:8])


PROBE_COUNT = "vigil_probe_duration_seconds_count"


def probe_count(url):
    """Sum of Vigil's probe counters (one per service and probe), or None if the endpoint does not answer."""
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            text = r.read().decode("utf-8", "replace")
    except OSError:
        return None
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
               if line.startswith(PROBE_COUNT))


def measure(pid, duration_s, metrics_url=None):
    stat = "/proc/%d/stat" % pid
    probes0 = probe_count(metrics_url) if metrics_url else None
    p0 = time.monotonic()
    if metrics_url:
        time.sleep(1)  # let the scrape's work (the HTTP server's threads, GC) finish first
    t0 = time.monotonic()
    user0, sys0 = proc_cpu_split(stat)
    opens0 = active_opens()
    host0 = host_cpu()
    tasks0 = threads_by_tid(pid)
    rss, threads = [], []
    end = t0 + duration_s
    while True:
        st = status_fields(pid)
        rss.append(int(st["VmRSS"].split()[0]) / 1024.0)
        threads.append(int(st["Threads"]))
        now = time.monotonic()
        if now >= end:
            break
        time.sleep(min(1.0, end - now))
    user1, sys1 = proc_cpu_split(stat)
    opens1 = active_opens()
    host1 = host_cpu()
    tasks1 = threads_by_tid(pid)
    t1 = time.monotonic()
    wall = t1 - t0
    probes1 = probe_count(metrics_url) if metrics_url else None
    p1 = time.monotonic()
    probes_per_s = (round((probes1 - probes0) / (p1 - p0), 1)
                    if probes0 is not None and probes1 is not None else None)

    per_name = {}
    for tid, (comm, ticks, switches) in tasks1.items():
        _, ticks0, switches0 = tasks0.get(tid, (comm, 0, 0))
        # a thread named "process reaper" etc: group by name; numbered pool names are grouped too
        name = re.sub(r"[-#]?\d+$", "-N", comm)
        entry = per_name.setdefault(name, [0, 0, 0])
        entry[0] += ticks - ticks0
        entry[1] += 1
        entry[2] += switches - switches0
    top = sorted(per_name.items(), key=lambda kv: -kv[1][0])
    reapers = sum(1 for comm, _, _ in tasks1.values() if comm == "process reaper")
    print(json.dumps({
        "pid": pid,
        "wall_s": round(wall, 2),
        "cpu_pct": round(100.0 * (user1 + sys1 - user0 - sys0) / CLK_TCK / wall, 2),
        "cpu_user_pct": round(100.0 * (user1 - user0) / CLK_TCK / wall, 2),
        "cpu_sys_pct": round(100.0 * (sys1 - sys0) / CLK_TCK / wall, 2),
        "rss_avg_mb": round(sum(rss) / len(rss), 1),
        "rss_max_mb": round(max(rss), 1),
        "rss_last_mb": round(rss[-1], 1),
        "threads_max": max(threads),
        "reaper_threads": reapers,
        "host_tcp_opens_per_s": round((opens1 - opens0) / wall, 1),
        "probes_per_s": probes_per_s,
        # all CPUs of the host, in % of one core: shows whether something else was running
        "host_cpu_busy_pct": round(100.0 * os.cpu_count() * (host1[0] - host0[0])
                                   / max(1, host1[1] - host0[1]), 1),
        "loadavg_1m_end": float(open("/proc/loadavg").read().split()[0]),
        # the JIT compiler threads: busy for minutes after start, then next to idle
        "jit_cpu_pct": round(sum(100.0 * ticks / CLK_TCK / wall
                                 for name, (ticks, _, _) in per_name.items()
                                 if name.startswith(("C1 CompilerThre", "C2 CompilerThre"))), 2),
        "thread_cpu": [
            {"name": name, "threads": n, "cpu_pct": round(100.0 * ticks / CLK_TCK / wall, 2),
             # context switches per second: how often the thread was woken (or preempted)
             "switches_per_s": round(switches / wall)}
            for name, (ticks, n, switches) in top if ticks > 0
        ][:8],
    }))
    return 0


def memmap(pid):
    """Resident memory of the process grouped by mapping: named files, and anonymous mappings by
    size (many equal small ones are thread stacks). Prints JSON."""
    groups = {}
    cur = None
    with open("/proc/%d/smaps" % pid) as f:
        for line in f:
            if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
                parts = line.split()
                lo, hi = (int(x, 16) for x in parts[0].split("-"))
                name = parts[5] if len(parts) > 5 else ""
                cur = name if name else "anon %dK" % ((hi - lo) // 1024)
                groups.setdefault(cur, [0, 0])
                groups[cur][1] += 1
            elif line.startswith("Rss:") and cur is not None:
                groups[cur][0] += int(line.split()[1])
    top = sorted(groups.items(), key=lambda kv: -kv[1][0])
    print(json.dumps({
        "pid": pid,
        "rss_total_mb": round(sum(v[0] for v in groups.values()) / 1024.0, 1),
        "top": [{"mapping": k, "count": n, "rss_mb": round(kb / 1024.0, 1)}
                for k, (kb, n) in top[:12]],
    }, indent=1))
    return 0


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, args = argv[1], argv[2:]
    if cmd == "ports-free":
        return ports_free(int(args[0]), int(args[1]))
    if cmd == "wait-listening":
        return wait_listening(int(args[0]), int(args[1]), float(args[2]))
    if cmd == "wait-vigil-ready":
        return wait_vigil_ready(args[0], args[1], int(args[2]), float(args[3]))
    if cmd == "memmap":
        return memmap(int(args[0]))
    if cmd == "measure":
        return measure(int(args[0]), float(args[1]), args[2] if len(args) > 2 else None)
    print("unknown command %s" % cmd, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
