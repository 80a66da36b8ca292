#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Summarise the comparison benchmark's runs (compare.csv, a row per run:
system,cell,run,goodput_mbps,rtt_ms,share_pct,reordered,late,gaps,
download_mbps,kpps; goodput_mbps is iperf3's; older files lack the last two
columns). Several files (parts of one run made separately) are read as one.

Prints markdown tables (for each metric, the download's and iperf3's: mean
with its 95% confidence interval, Student t, median, and the ratio to the
sum of the single-path goodputs of the same VPN; the packet rates and their
ratios), writes the same as JSON with --json, and with --plot-data DIR the
data files tools/bench-plot.sh draws.
"""

import argparse
import csv
import json
import math
import os
import statistics
import sys

# Student t, two-sided 95%, by degrees of freedom.
T95 = [None, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262,
       2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093,
       2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045,
       2.042]


def t95(df):
    if df < 1:
        return float("nan")
    return T95[df] if df < len(T95) else 1.960


def num(v):
    try:
        return float(v)
    except ValueError:
        return None


def family(system):
    """The single-path systems a system's goodput is compared with."""
    if system.startswith("wg-") or system == "bond-rr" or system.endswith("-wg"):
        return "wg-path"
    if system.startswith("ovpn-") or system.endswith("-ovpn"):
        return "ovpn-udp-path"
    return "tcp-path"


def parse_path(p):
    f = p.split("/")
    loss = f[2] if len(f) > 2 else ""
    return {"rate": float(f[0]), "rtt": float(f[1]), "loss": loss}


# The metrics: CSV column, name in tables and plots.
METRICS = {"download": "download_mbps", "iperf3": "goodput_mbps"}


def stats(v, failed=0):
    n = len(v)
    return {"runs": v, "n": n, "failed": failed,
            "mean": statistics.mean(v) if v else None,
            "median": statistics.median(v) if v else None,
            "ci95": (t95(n - 1) * statistics.stdev(v) / math.sqrt(n)
                     if n > 1 else None)}


def summarise(rows):
    cells = {}
    for r in rows:
        # The ceilings' cell is "none" (empty in the CSVs of 2026-11-26).
        c = cells.setdefault(r["cell"] or "none", {})
        s = c.setdefault(r["system"], {"rtts": [], "shares": [], "reorder": [],
                                       **{m: [] for m in METRICS},
                                       "kpps": [], "failed": {}})
        for m, col in list(METRICS.items()) + [("kpps", "kpps")]:
            # "-": the run failed (or the system could not be set up);
            # empty or no column: not measured.
            v = r.get(col) or ""
            g = num(v)
            if g is not None:
                s[m].append(g)
            elif v == "-":
                s["failed"][m] = s["failed"].get(m, 0) + 1
        rtt = num(r["rtt_ms"])
        if rtt is not None:
            s["rtts"].append(rtt)
        if r["share_pct"] not in ("", "-"):
            s["shares"].append([float(x) for x in r["share_pct"].split(":")])
        if r["reordered"] not in ("", "-"):
            s["reorder"].append([int(r[k]) for k in ("reordered", "late", "gaps")])
    for c in cells.values():
        for s in c.values():
            for m in list(METRICS) + ["kpps"]:
                s[m] = stats(s[m], s["failed"].get(m, 0))
            s["rtt_ms"] = statistics.median(s["rtts"]) if s["rtts"] else None
            s["share_pct"] = ([round(statistics.mean(x)) for x in zip(*s["shares"])]
                              if s["shares"] else None)
            s["reordered_late_gaps"] = ([sum(x) for x in zip(*s["reorder"])]
                                        if s["reorder"] else None)
        sums = {}
        for m in METRICS:
            for fam in ("wg-path", "ovpn-udp-path", "tcp-path"):
                v = [s[m]["mean"] for k, s in c.items() if k.startswith(fam)]
                if v and None not in v:
                    sums.setdefault(m, {})[fam] = sum(v)
        for k, s in c.items():
            for m in METRICS:
                base = family(k)
                msums = sums.get(m, {})
                if base not in msums and base == "tcp-path":
                    base = "wg-path"
                s[m]["base"] = base if base in msums else None
                s[m]["ratio"] = (s[m]["mean"] / msums[base]
                                 if s[m]["base"] and s[m]["mean"] is not None
                                 else None)
        c["_sums"] = sums
    return cells


def fmt(v, d=2):
    return "-" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.{d}f}"


BASE_NAME = {"wg-path": "WireGuard", "ovpn-udp-path": "OpenVPN UDP",
             "tcp-path": "TCP"}


def present(cells):
    """The metrics measured in at least one run."""
    return [m for m in METRICS
            if any(s[m]["n"] for c in cells.values()
                   for k, s in c.items() if not k.startswith("_"))]


def mean_ci(st):
    if st["mean"] is None:
        return "failed" if st["failed"] else "-"
    failed = f" ({st['failed']} failed)" if st["failed"] else ""
    return f"{fmt(st['mean'])} ± {fmt(st['ci95'])}{failed}"


# The peers MPUDP's default is held against in the summary, by name there.
PEERS = [("mptcp", "plain MPTCP"), ("ovpn-tcp-mptcp", "OpenVPN over MPTCP"),
         ("bond-rr", "bond-rr")]
DEFAULT = "mpudp-edpf-wg"


def cell_key(cell):
    """Lossless cells first, then by loss (uniform before bursty), number
    of paths, rates (highest first) and RTTs."""
    if cell in ("none", "pps"):
        return (2,)
    paths = [parse_path(p) for p in cell.split("+")]
    loss = paths[0]["loss"]
    return (1 if loss else 0, loss.startswith("ge"),
            float(loss.lstrip("ge") or 0), len(paths),
            [-p["rate"] for p in paths], [p["rtt"] for p in paths])


def verdicts(cells, m):
    """Per cell of two or more paths that has the default (edpf under
    WireGuard) measured: its mean and ratio, MPUDP's best under WireGuard,
    the peers', the better single path's, and which of those are ahead of
    the default: [(name, clear)], clear when the two 95% intervals do not
    overlap (an interval of one run is 0 wide)."""
    out = []
    for cell, c in sorted(cells.items(), key=lambda x: cell_key(x[0])):
        d = c.get(DEFAULT, {}).get(m)
        if cell in ("none", "pps") or not d or d["mean"] is None:
            continue
        best = max((k for k, s in c.items() if k.startswith("mpudp-") and
                    k.endswith("-wg") and s[m]["mean"] is not None),
                   key=lambda k: c[k][m]["mean"])
        single = [k for k in c if k.startswith("wg-path") and
                  c[k][m]["mean"] is not None]
        others = [(k, name) for k, name in PEERS
                  if k in c and c[k][m]["mean"] is not None]
        if single:
            k = max(single, key=lambda k: c[k][m]["mean"])
            others.append((k, "WireGuard on " + k[len("wg-"):]))
        ahead = []
        for k, name in others:
            o = c[k][m]
            if o["mean"] > d["mean"]:
                gap = o["mean"] - d["mean"]
                ahead.append((name, gap > (o["ci95"] or 0) + (d["ci95"] or 0)))
        out.append({"cell": cell, "default": d, "best": (best, c[best][m]),
                    "sum": c["_sums"].get(m, {}).get("wg-path"),
                    "peers": {k: c[k][m] for k, _ in PEERS if k in c},
                    "ahead": ahead})
    return out


def summary(cells, m):
    """The summary table: where MPUDP's default wins and loses."""
    rows = verdicts(cells, m)
    if not rows:
        return []
    out = ["## Summary: MPUDP's default against the alternatives\n",
           f"Per cell, {m} Mbit/s (means): `edpf` under WireGuard and its share "
           "of WireGuard's single-path sum, MPUDP's best under WireGuard, "
           "the peers, and those ahead of `edpf` (\"in spread\": the two 95% "
           "intervals overlap).\n",
           "| paths | WireGuard sum | edpf | best MPUDP | " +
           " | ".join(name for _, name in PEERS) + " | ahead of edpf |",
           "|" + " --- |" * (5 + len(PEERS))]
    for r in rows:
        d = r["default"]
        best, b = r["best"]
        ratio = (f" ({100 * d['mean'] / r['sum']:.0f}%)" if r["sum"] else "")
        peers = " | ".join(fmt(r["peers"][k]["mean"]) if k in r["peers"]
                           else "-" for k, _ in PEERS)
        ahead = ", ".join(name + ("" if clear else " (in spread)")
                          for name, clear in r["ahead"]) or "none"
        out.append(f"| {r['cell']} | {fmt(r['sum'])} | {fmt(d['mean'])}{ratio} | "
                   f"{best[len('mpudp-'):-len('-wg')]} {fmt(b['mean'])} | "
                   f"{peers} | {ahead} |")
    out.append("")
    return out


def markdown(cells, a):
    out = []
    metrics = present(cells)
    ceil = {}
    for k in ("wg-ceiling", "ovpn-ceiling"):
        s = cells.get("none", {}).get(k)
        ceil[k] = next((s[m]["median"] for m in ("iperf3", "download")
                        if s and s[m]["median"] is not None), None)
    what = []
    if "download" in metrics:
        what.append(f"the download of a {a.size or '?'} file over HTTP "
                    "(curl on $A from a web server on $B; goodput: the file's "
                    "bits over the whole time, connection set-up included)")
    if "iperf3" in metrics:
        what.append(f"iperf3 TCP from $A to $B for {a.time}s")
    out.append("# MPUDP against the alternatives (issue 5)\n")
    out.append(f"Kernel {a.kernel} in QEMU (TCG, {a.vcpus} vCPUs) on {a.cpu}. "
               f"Goodput of {' and of '.join(what)}, {a.runs} runs per system "
               "and cell: mean ± half-width of its 95% confidence interval "
               "(Student t), and the mean as a share of the sum of the means "
               "of the same VPN on each path alone (WireGuard systems: of "
               "WireGuard's; OpenVPN systems: of OpenVPN UDP's; plain MPTCP: "
               "of plain TCP's when measured, else of WireGuard's, as the "
               "column says). RTT: median of ping through the tunnel (plain "
               "MPTCP: over path 1) every 200 ms during the transfers. Shares: "
               "of the bytes through $A's paths, both ways. MPUDP: datagrams "
               "the receivers held for reordering, that came after their gap "
               "was given up, and gaps given up, both ends, summed over the "
               "runs.\n")
    out.append(f"The emulated CPU's ceilings (one unshaped path, medians): "
               f"WireGuard {fmt(ceil['wg-ceiling'])} Mbit/s, "
               f"OpenVPN UDP (no encryption) {fmt(ceil['ovpn-ceiling'])} Mbit/s. "
               "A cell's ratios are marked * where that VPN's single-path sum "
               "exceeds 80% of its ceiling: the CPU, not the paths, may be the "
               "bottleneck there.\n")
    out += summary(cells, "download" if "download" in metrics else "iperf3")
    pps = cells.get("pps")
    if pps:
        out.append("## CPU cost: packet rate\n")
        out.append("64-byte UDP datagrams (iperf3 -u -b 0 -l 64) over unshaped "
                   "paths, as fast as $A sends them: the thousands of datagrams "
                   "$B received per second, and the ratio to the same traffic "
                   "without MPUDP.\n")
        out.append("| system | kpps, mean ± 95% | runs | / without MPUDP |")
        out.append("| --- | --- | --- | --- |")
        for k, s in pps.items():
            if k.startswith("_"):
                continue
            plain = pps.get(k[len("mpudp-"):]) if k.startswith("mpudp-") else None
            ratio = (f"{100 * s['kpps']['mean'] / plain['kpps']['mean']:.0f}%"
                     if plain and plain["kpps"]["mean"] and s["kpps"]["mean"]
                     is not None else "-")
            out.append(f"| {k} | {mean_ci(s['kpps'])} | {s['kpps']['n']} | {ratio} |")
        out.append("")
    for cell, c in cells.items():
        if cell in ("none", "pps"):
            continue
        sums = c["_sums"]
        paths = ", ".join(cell.split("+"))
        out.append(f"## Paths {paths} (Mbit/s / RTT ms [/ loss])\n")
        for m in metrics:
            if m in sums:
                out.append(f"Single-path sums, {m}: " + ", ".join(
                    f"{BASE_NAME[k]} {v:.2f}" for k, v in sums[m].items()) +
                    " Mbit/s\n")
        head = "| system |"
        for m in metrics:
            head += f" {m} Mbit/s, mean ± 95% | / single-path sum |"
        out.append(head + " runs | RTT ms | shares % | reordered / late / gaps |")
        out.append("|" + " --- |" * (2 * len(metrics) + 5))
        for k, s in c.items():
            if k.startswith("_"):
                continue
            row = f"| {k} |"
            for m in metrics:
                st = s[m]
                mark = ""
                ck = "ovpn-ceiling" if st["base"] == "ovpn-udp-path" else "wg-ceiling"
                if (st["base"] and ceil[ck] and
                        sums[m].get(st["base"], 0) > 0.8 * ceil[ck]):
                    mark = "*"
                ratio = (f"{100 * st['ratio']:.0f}%{mark} of {BASE_NAME[st['base']]}"
                         if st["ratio"] is not None else "-")
                row += f" {mean_ci(st)} | {ratio} |"
            share = (":".join(str(x) for x in s["share_pct"])
                     if s["share_pct"] else "-")
            rlg = (" / ".join(str(x) for x in s["reordered_late_gaps"])
                   if s["reordered_late_gaps"] else "-")
            n = max(s[m]["n"] for m in metrics) if metrics else 0
            out.append(f"{row} {n} | {fmt(s['rtt_ms'], 1)} | {share} | {rlg} |")
        out.append("")
    return "\n".join(out)


def to_json(cells, a):
    res = {"kernel": a.kernel, "vcpus": a.vcpus, "cpu": a.cpu, "runs": a.runs,
           "time_s": a.time, "size": a.size, "cells": []}
    for cell, c in cells.items():
        systems = []
        for k, s in c.items():
            if k.startswith("_"):
                continue
            systems.append({"system": k,
                            **{m: s[m] for m in list(METRICS) + ["kpps"]
                               if s[m]["n"]},
                            **{x: s[x] for x in ("rtt_ms", "share_pct",
                                                 "reordered_late_gaps")}})
        res["cells"].append({"cell": cell,
                             "paths": ([parse_path(p) for p in cell.split("+")]
                                       if cell not in ("none", "pps") else []),
                             "single_path_sums": c["_sums"],
                             "systems": systems})
    return res


# Plot data: which cells make which figure. Two-path cells of equal rates:
# no loss and equal RTTs -> goodput vs RTT; no loss, path 1 at the base RTT
# -> vs the RTT ratio; loss (uniform or ge) at one RTT pair, with that pair's
# lossless cell at 0 -> vs loss.
def plot_data(cells, d):
    figs = {}
    lossless = {}
    for cell in cells:
        if cell in ("none", "pps"):
            continue
        p = [parse_path(x) for x in cell.split("+")]
        if len(p) != 2 or p[0]["rate"] != p[1]["rate"]:
            continue
        pair = f"{p[0]['rtt']:g}-{p[1]['rtt']:g}"
        if not p[0]["loss"] and not p[1]["loss"]:
            lossless[pair] = cell
            if p[0]["rtt"] == p[1]["rtt"]:
                figs.setdefault("rtt", []).append((p[0]["rtt"], cell))
            figs.setdefault(f"ratio-{p[0]['rtt']:g}", []).append(
                (p[1]["rtt"] / p[0]["rtt"], cell))
        elif p[0]["loss"] == p[1]["loss"]:
            loss = p[0]["loss"]
            kind = "ge" if loss.startswith("ge") else "uniform"
            if kind == "ge" and ":" in loss:
                continue
            x = float(loss[2:] if kind == "ge" else loss)
            figs.setdefault(f"loss-{kind}-{pair}", []).append((x, cell))
    for name, pts in list(figs.items()):
        if name.startswith("loss-"):
            pair = name.split("-", 2)[2]
            if pair in lossless:
                pts.append((0.0, lossless[pair]))
        if len({x for x, _ in pts}) < 2:
            del figs[name]
    os.makedirs(d, exist_ok=True)
    index = []
    for m in present(cells):
        for name, pts in sorted(figs.items()):
            pts.sort()
            systems = []
            for _, cell in pts:
                for k, s in cells[cell].items():
                    if (not k.startswith("_") and k not in systems and
                            s[m]["n"] and
                            ("-path" not in k or k.endswith("-path1"))):
                        systems.append(k)
            if len({x for x, cell in pts for k, st in cells[cell].items()
                    if not k.startswith("_") and st[m]["n"]}) < 2:
                continue
            # One block per system (gnuplot's index), x mean ci.
            with open(os.path.join(d, f"{m}-{name}.dat"), "w") as f:
                for k in systems:
                    f.write(f'"{k}"\n')
                    for x, cell in pts:
                        s = cells[cell].get(k)
                        if s and s[m]["mean"] is not None:
                            f.write(f"{x:g} {s[m]['mean']:.3f} "
                                    f"{s[m]['ci95'] or 0:.3f}\n")
                    f.write("\n\n")
            index.append(f"{m} {name} {','.join(systems)}")
    with open(os.path.join(d, "index"), "w") as f:
        f.write("\n".join(index) + ("\n" if index else ""))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("csv", nargs="+")
    ap.add_argument("--json")
    ap.add_argument("--plot-data")
    ap.add_argument("--runs", type=int)
    ap.add_argument("--time", type=int)
    ap.add_argument("--size")
    ap.add_argument("--kernel", default="?")
    ap.add_argument("--vcpus", type=int)
    ap.add_argument("--cpu", default="?")
    a = ap.parse_args()
    rows = []
    for name in a.csv:
        with open(name) as f:
            rows += list(csv.DictReader(f))
    cells = summarise(rows)
    if a.plot_data:
        plot_data(cells, a.plot_data)
        return
    print(markdown(cells, a))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(to_json(cells, a), f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
