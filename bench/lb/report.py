#!/usr/bin/env python3
"""Prints the table of bench/lb/run.sh from its output directory (standard library only).

  report.py OUT_DIR ROUNDS TARGET_RPS_RATIO TARGET_P99_RATIO TARGET...

Reads OUT_DIR/facts.txt and, for each round N and target T, OUT_DIR/round-N/T/wrk.txt (wrk's
output), cpu.json (bench/lb/cpu.py window) and, for Vigil, jstat.before/jstat.after.
"""
import json
import os
import re
import statistics
import sys

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}
LABELS = {"direct": "direct (1 backend)", "vigil": "Vigil LB", "haproxy": "HAProxy",
          "nginx": "nginx"}


def parse_wrk(path):
    try:
        text = open(path).read()
    except OSError:
        return None
    r = {"text": text}
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    if not m:
        return None
    r["rps"] = float(m.group(1))
    for pct in ("50", "75", "90", "99"):
        m = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s|m)\s*$" % pct, text, re.M)
        r["p" + pct] = float(m.group(1)) * UNITS[m.group(2)] if m else float("nan")
    m = re.search(r"Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s|m)", text)
    r["max"] = float(m.group(1)) * UNITS[m.group(2)] if m else float("nan")
    m = re.search(r"(\d+) requests in", text)
    r["requests"] = int(m.group(1)) if m else 0
    errors = 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        errors += sum(int(x) for x in m.groups())
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if m:
        errors += int(m.group(1))
    r["errors"] = errors
    return r


def load_json(path):
    try:
        return json.load(open(path))
    except (OSError, ValueError):
        return None


def jstat(path):
    try:
        lines = open(path).read().split("\n")
        header, values = lines[0].split(), lines[1].split()
        return dict(zip(header, values))
    except (OSError, IndexError):
        return None


def gc_delta(d):
    a, b = jstat(os.path.join(d, "jstat.before")), jstat(os.path.join(d, "jstat.after"))
    if not a or not b:
        return None
    try:
        return {
            "ygc": int(b["YGC"]) - int(a["YGC"]),
            "ygct_ms": (float(b["YGCT"]) - float(a["YGCT"])) * 1000.0,
            "fgc": int(b["FGC"]) - int(a["FGC"]),
            "gct_ms": (float(b["GCT"]) - float(a["GCT"])) * 1000.0,
        }
    except (KeyError, ValueError):
        return None


def ratio(a, b):
    return a / b if b else float("nan")


def main(argv):
    out, rounds, t_rps, t_p99 = argv[1], int(argv[2]), float(argv[3]), float(argv[4])
    targets = argv[5:]
    facts = ""
    try:
        facts = open(os.path.join(out, "facts.txt")).read().rstrip()
    except OSError:
        pass

    rows = {}  # (round, target) -> dict
    for r in range(1, rounds + 1):
        for t in targets:
            d = os.path.join(out, "round-%d" % r, t)
            w = parse_wrk(os.path.join(d, "wrk.txt"))
            if w is None:
                continue
            c = load_json(os.path.join(d, "cpu.json")) or {"groups": {}}
            g = c.get("groups", {})
            w["proxy_cpu"] = g.get("proxy", {}).get("cpu_pct", 0.0)
            w["backend_cpu"] = g.get("backends", {}).get("cpu_pct", float("nan"))
            w["wrk_cpu"] = g.get("wrk", {}).get("cpu_pct", float("nan"))
            w["others"] = c.get("others_pct", float("nan"))
            w["proxy_threads"] = g.get("proxy", {}).get("threads", [])
            w["proxy_user"] = g.get("proxy", {}).get("user_pct", 0.0)
            w["proxy_cs"] = g.get("proxy", {}).get("ctx_switches_per_s", 0.0)
            try:
                w["tries"] = int(open(os.path.join(d, "tries")).read().strip())
            except (OSError, ValueError):
                w["tries"] = 1
            w["proxy_sys"] = g.get("proxy", {}).get("sys_pct", 0.0)
            w["us_per_req"] = (w["proxy_cpu"] / 100.0 * 1e6 / w["rps"]) if w["rps"] else 0.0
            w["gc"] = gc_delta(d) if t == "vigil" else None
            rows[(r, t)] = w

    print()
    print("Load balancer benchmark (bench/lb/run.sh)")
    for line in facts.split("\n"):
        if line:
            print("  " + line)
    print()
    noise_max = float(os.environ.get("NOISE_MAX", "30"))
    hdr = ("%-5s %-19s %9s %8s %8s %8s %7s %11s %10s %7s %9s %5s %8s"
           % ("round", "target", "req/s", "p50 ms", "p99 ms", "max ms", "errors", "proxy CPU%",
              "CPU us/req", "cs/req", "backends%", "wrk%", "others%"))
    print(hdr)
    print("-" * len(hdr))
    for r in range(1, rounds + 1):
        for t in targets:
            w = rows.get((r, t))
            if not w:
                print("%-5d %-19s %9s" % (r, LABELS[t], "no result"))
                continue
            print("%-5d %-19s %9.0f %8.3f %8.3f %8.2f %7d %11s %10s %7s %9.0f %5.0f %8s"
                  % (r, LABELS[t], w["rps"], w["p50"], w["p99"], w["max"], w["errors"],
                     "%.0f (%.0f+%.0f)" % (w["proxy_cpu"], w["proxy_user"], w["proxy_sys"])
                     if t != "direct" else "-",
                     "%.1f" % w["us_per_req"] if t != "direct" else "-",
                     "%.2f" % (w["proxy_cs"] / w["rps"]) if t != "direct" and w["rps"] else "-",
                     w["backend_cpu"], w["wrk_cpu"],
                     "%.0f%s%s" % (w["others"], "!" if w["others"] > noise_max else "",
                                   " (try %d)" % w["tries"] if w["tries"] > 1 else "")))
    if rounds > 1:
        for t in targets:
            ws = [rows[(r, t)] for r in range(1, rounds + 1) if (r, t) in rows]
            if len(ws) > 1:
                print("%-5s %-19s %9.0f %8.3f %8.3f" % (
                    "med", LABELS[t], statistics.median(w["rps"] for w in ws),
                    statistics.median(w["p50"] for w in ws),
                    statistics.median(w["p99"] for w in ws)))
    print("CPU columns: % of one core during the measured window (/proc); proxy CPU% as"
          " (user+system); CPU us/req = proxy CPU time per request.")
    print("cs/req: the proxy's context switches (voluntary + involuntary, all its threads) per"
          " request.")
    print("others%%: the host's CPU use minus the proxy, the backends and wrk (other programs on"
          " the machine, and kernel time charged to no task); '!' = over NOISE_MAX (%.0f) even"
          " after the repeats; (try N) = measured N times, the noisy windows were discarded."
          % noise_max)

    print()
    print("Ratios (same round; req/s: higher is better for Vigil, p99: lower is better):")
    for r in list(range(1, rounds + 1)) + (["med"] if rounds > 1 else []):
        def get(t):
            if r == "med":
                ws = [rows[(x, t)] for x in range(1, rounds + 1) if (x, t) in rows]
                if not ws:
                    return None
                return {"rps": statistics.median(w["rps"] for w in ws),
                        "p99": statistics.median(w["p99"] for w in ws)}
            return rows.get((r, t))
        v = get("vigil")
        if not v:
            continue
        label = "round %s" % r if r != "med" else "medians"
        h = get("haproxy")
        if h:
            rr, pr = ratio(v["rps"], h["rps"]), ratio(v["p99"], h["p99"])
            print("  %-8s Vigil/HAProxy  req/s %.3f (target >= %.1f: %s)   p99 %.2f (target <= %.1f: %s)"
                  % (label, rr, t_rps, "MET" if rr >= t_rps else "MISSED", pr, t_p99,
                     "MET" if pr <= t_p99 else "MISSED"))
        for other in ("direct", "nginx"):
            o = get(other)
            if o:
                print("  %-8s Vigil/%-8s req/s %.2f                        p99 %.2f"
                      % (label, other, ratio(v["rps"], o["rps"]), ratio(v["p99"], o["p99"])))

    for r in range(1, rounds + 1):
        for t in ("vigil", "haproxy", "nginx"):
            w = rows.get((r, t))
            if not w or not w["proxy_threads"]:
                continue
            print()
            print("round %d, %s: CPU by thread name during the window (%% of one core):"
                  % (r, LABELS[t]))
            for th in w["proxy_threads"]:
                print("  %-24s x%-3d %7.1f" % (th["name"], th["count"], th["cpu_pct"]))
            if w["gc"]:
                g = w["gc"]
                print("  GC (jstat): %d young collections, %.0f ms in total (%.1f ms each), %d full"
                      % (g["ygc"], g["ygct_ms"], g["ygct_ms"] / g["ygc"] if g["ygc"] else 0,
                         g["fgc"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
