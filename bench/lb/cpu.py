#!/usr/bin/env python3
"""CPU of groups of processes over one window, for the load balancer benchmark (Linux, standard
library only).

  cpu.py window DURATION_S NAME=PID[,PID...] [NAME=PID,...]...
      samples /proc at the start and the end of a DURATION_S window and prints one JSON object:
      for each group, its CPU in % of one core (utime+stime of every thread of its processes;
      user and system apart) and the CPU of each thread name (numbered names grouped: "vigil-lb-4-1"
      and "vigil-lb-4-2" become "vigil-lb-4-N"); the whole host's CPU in % of one core, and
      "others": the host's CPU minus that of all the groups (other programs on the machine, the
      kernel's softirq time that is not charged to a task...). A process that exits during the
      window counts up to its last sample.
  cpu.py busy SECONDS
      prints the host's CPU use over SECONDS, in % of one core (the quiet check before a phase)
"""
import json
import os
import re
import sys
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")


def split_stat(path):
    """(comm, utime, stime) of a /proc/.../stat file."""
    with open(path) as f:
        data = f.read()
    comm = data[data.index("(") + 1:data.rindex(")")]
    rest = data[data.rindex(")") + 2:].split()
    return comm, int(rest[11]), int(rest[12])


def switches(path):
    """Voluntary + involuntary context switches, from a /proc/.../status file."""
    n = 0
    with open(path) as f:
        for line in f:
            if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                n += int(line.split()[1])
    return n


def threads(pid):
    """{tid: (name, utime, stime, context switches)} of every thread of pid; {} if it is gone."""
    out = {}
    base = "/proc/%d/task" % pid
    try:
        tids = os.listdir(base)
    except OSError:
        return out
    for tid in tids:
        try:
            out[int(tid)] = split_stat("%s/%s/stat" % (base, tid)) + (
                switches("%s/%s/status" % (base, tid)),)
        except (OSError, ValueError):
            pass
    return out


def host_cpu():
    """(busy, total) jiffies of all CPUs, from the first line of /proc/stat."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + (v[4] if len(v) > 4 else 0)  # idle + iowait
    return sum(v[:8]) - idle, sum(v[:8])


def busy(seconds):
    h0 = host_cpu()
    time.sleep(seconds)
    h1 = host_cpu()
    print("%.1f" % (100.0 * os.cpu_count() * (h1[0] - h0[0]) / max(1, h1[1] - h0[1])))
    return 0


def window(duration, specs):
    groups = {}
    for spec in specs:
        name, _, pids = spec.partition("=")
        groups[name] = [int(p) for p in pids.split(",") if p.strip().isdigit()]
    snap0 = {g: {p: threads(p) for p in pids} for g, pids in groups.items()}
    h0 = host_cpu()
    t0 = time.monotonic()
    time.sleep(duration)
    snap1 = {g: {p: threads(p) for p in pids} for g, pids in groups.items()}
    h1 = host_cpu()
    wall = time.monotonic() - t0

    def pct(ticks):
        return round(100.0 * ticks / CLK_TCK / wall, 2)

    result = {"wall_s": round(wall, 2), "groups": {}}
    total_ticks = 0
    for g, pids in groups.items():
        user = system = cs = 0
        by_name = {}
        for p in pids:
            before, after = snap0[g][p], snap1[g][p]
            # a process gone at the end: count it up to its start sample (nothing)
            for tid, (comm, u1, s1, c1) in after.items():
                _, u0, s0, c0 = before.get(tid, (comm, 0, 0, 0))
                du, ds = u1 - u0, s1 - s0
                user += du
                system += ds
                cs += c1 - c0
                key = re.sub(r"[-#]?\d+$", "-N", comm)
                e = by_name.setdefault(key, [0, 0])
                e[0] += du + ds
                e[1] += 1
        total_ticks += user + system
        top = sorted(by_name.items(), key=lambda kv: -kv[1][0])
        result["groups"][g] = {
            "pids": pids,
            "cpu_pct": pct(user + system),
            "user_pct": pct(user),
            "sys_pct": pct(system),
            "ctx_switches_per_s": round(cs / wall, 1),
            "threads": [{"name": k, "count": n, "cpu_pct": pct(t)} for k, (t, n) in top if t > 0][:12],
        }
    host_pct = 100.0 * os.cpu_count() * (h1[0] - h0[0]) / max(1, h1[1] - h0[1])
    result["host_pct"] = round(host_pct, 1)
    result["others_pct"] = round(max(0.0, host_pct - 100.0 * total_ticks / CLK_TCK / wall), 1)
    result["cpus"] = os.cpu_count()
    print(json.dumps(result))
    return 0


def main(argv):
    if len(argv) >= 3 and argv[1] == "window":
        return window(float(argv[2]), argv[3:])
    if len(argv) == 3 and argv[1] == "busy":
        return busy(float(argv[2]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
