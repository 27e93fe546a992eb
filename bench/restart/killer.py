#!/usr/bin/env python3
"""Kill -9 a supervised tiny_http and time until a NEW process answers on its port.

  killer.py --port P --kills N --pause-ms MS --timeout-s S --out FILE.json
            (--vigil-state DIR [--service NAME --index I] | --supervisorctl CONF --program NAME)

For each kill:
  1. Find the pid the supervisor says runs the instance (Vigil: STATE_DIR/instances.tsv;
     supervisord: `supervisorctl pid NAME`), and check it against the pid tiny_http puts in its
     answer ("ok pid=N"); retry (not timed) until the two agree, so the kill hits the process that
     really serves the port.
  2. t0; SIGKILL it.
  3. Every 0.5 ms: connect to 127.0.0.1:P, send "GET / HTTP/1.0", read the answer. A refused or
     reset connection (the dying process's listening socket, or no socket yet) or an answer from
     the old pid does not count. The first answer from another pid stops the clock.
  4. Sleep --pause-ms, next kill.
Bounded: N kills, each at most --timeout-s; the whole run fails if one kill times out.
Prints one JSON object (every sample in ms, and a summary) to --out.
"""
import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time

POLL_S = 0.0005
BODY_PID = re.compile(rb"ok pid=(\d+)")


def served_pid(port, timeout=0.25):
    """The pid in tiny_http's answer, or None if nothing answered."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(b"GET / HTTP/1.0\r\n\r\n")
            data = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        m = BODY_PID.search(data)
        return int(m.group(1)) if m else None
    except OSError:
        return None


def vigil_pid(state_dir, service, index):
    try:
        with open(os.path.join(state_dir, "instances.tsv")) as f:
            for line in f:
                if line.startswith("#"):
                    continue
                fields = line.rstrip("\n").split("\t")
                if len(fields) >= 3 and fields[0] == service and fields[1] == str(index):
                    return int(fields[2])
    except (OSError, ValueError):
        pass
    return None


def supervisord_pid(conf, program):
    try:
        out = subprocess.run(["supervisorctl", "-c", conf, "pid", program], capture_output=True,
                             text=True, timeout=10).stdout.strip()
        pid = int(out)
        return pid if pid > 0 else None
    except (ValueError, subprocess.SubprocessError, OSError):
        return None


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        return state != "Z"
    except OSError:
        return False


def settled_pid(source, port, timeout_s):
    """Waits until the supervisor's pid and the serving pid agree; returns it."""
    deadline = time.monotonic() + timeout_s
    last = None
    while time.monotonic() < deadline:
        pid = source()
        served = served_pid(port)
        last = (pid, served)
        if pid is not None and pid == served and alive(pid):
            return pid
        time.sleep(0.01)
    raise SystemExit("supervisor pid and served pid never agreed on port %d: %r" % (port, last))


def one_kill(pid, port, timeout_s):
    t0 = time.perf_counter()
    os.kill(pid, signal.SIGKILL)
    deadline = t0 + timeout_s
    attempts = 0
    while True:
        attempts += 1
        got = served_pid(port)
        now = time.perf_counter()
        if got is not None and got != pid:
            return (now - t0) * 1000.0, got, attempts
        if now > deadline:
            raise SystemExit("no new process answered on port %d within %ss after killing %d"
                             % (port, timeout_s, pid))
        time.sleep(POLL_S)


def percentile(sorted_values, p):
    """Nearest-rank percentile."""
    k = max(0, min(len(sorted_values) - 1, int(round(p / 100.0 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--kills", type=int, required=True)
    ap.add_argument("--pause-ms", type=float, default=300)
    ap.add_argument("--timeout-s", type=float, default=10)
    ap.add_argument("--out", required=True)
    ap.add_argument("--vigil-state")
    ap.add_argument("--service", default="tiny")
    ap.add_argument("--index", type=int, default=0)
    ap.add_argument("--supervisorctl")
    ap.add_argument("--program", default="tiny")
    a = ap.parse_args()
    if not 1 <= a.kills <= 1000:
        raise SystemExit("--kills must be 1..1000")
    if a.vigil_state:
        source = lambda: vigil_pid(a.vigil_state, a.service, a.index)
    elif a.supervisorctl:
        source = lambda: supervisord_pid(a.supervisorctl, a.program)
    else:
        raise SystemExit("need --vigil-state or --supervisorctl")

    samples = []
    for i in range(a.kills):
        old = settled_pid(source, a.port, max(a.timeout_s, 10))
        ms, new, attempts = one_kill(old, a.port, a.timeout_s)
        samples.append({"kill": i + 1, "old_pid": old, "new_pid": new, "ms": round(ms, 3),
                        "polls": attempts})
        print("kill %2d: pid %d -> %d answering after %.2f ms" % (i + 1, old, new, ms),
              file=sys.stderr)
        time.sleep(a.pause_ms / 1000.0)
    ms = sorted(s["ms"] for s in samples)
    summary = {
        "kills": len(ms),
        "median_ms": round(statistics.median(ms), 2),
        "p90_ms": round(percentile(ms, 90), 2),
        "min_ms": round(ms[0], 2),
        "max_ms": round(ms[-1], 2),
        "mean_ms": round(statistics.fmean(ms), 2),
    }
    with open(a.out, "w") as f:
        json.dump({"summary": summary, "samples": samples}, f, indent=1)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
