#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host test of tools/bench-summary.py, the comparison benchmark's tables:
ratios to the single-path sums, confidence intervals, failed runs, packet
rate ratios, the merge of parts and older CSVs, the summary of where
MPUDP's default is behind its peers. Prints KTAP.
"""

import csv
import importlib.util
import io
import os
import sys
import tempfile

from ktap import Ktap

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
spec = importlib.util.spec_from_file_location(
    "bench_summary", os.path.join(TOP, "tools", "bench-summary.py"))
bs = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bs)

HEAD = ("system,cell,run,goodput_mbps,rtt_ms,share_pct,reordered,late,gaps,"
        "download_mbps,kpps\n")
PART1 = HEAD + """wg-ceiling,none,1,,-,100,-,-,-,100.00,-
udp-pps,pps,1,,-,-,-,-,-,,40.00
udp-pps,pps,2,,-,-,-,-,-,,60.00
mpudp-udp-pps,pps,1,,-,-,-,-,-,,25.00
wg-path1,10/20+10/80,1,,60.0,100,-,-,-,9.00,-
wg-path1,10/20+10/80,2,,62.0,100,-,-,-,9.00,-
wg-path2,10/20+10/80,1,,110.0,100,-,-,-,8.00,-
wg-path2,10/20+10/80,2,,112.0,100,-,-,-,8.00,-
mpudp-edpf-wg,10/20+10/80,1,,55.0,60:40,100,2,3,16.00,-
mpudp-edpf-wg,10/20+10/80,2,,57.0,62:38,50,0,1,-,-
bond-rr,10/20+10/80,1,-,-,-,-,-,-,-,-
"""
# An older CSV: no download_mbps, no kpps; iperf3 only.
PART2 = """system,cell,run,goodput_mbps,rtt_ms,share_pct,reordered,late,gaps
wg-path1,10/20+10/20,1,9.00,60.0,100,-,-,-
wg-path1,10/20+10/20,2,9.20,60.0,100,-,-,-
wg-path2,10/20+10/20,1,9.00,60.0,100,-,-,-
wg-path2,10/20+10/20,2,8.80,60.0,100,-,-,-
mpudp-edpf-wg,10/20+10/20,1,17.00,58.0,50:50,10,0,1
mpudp-edpf-wg,10/20+10/20,2,18.00,58.0,50:50,10,0,1
"""

KTAP = Ktap("bench-summary")
ok = KTAP.ok


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


class Args:
    kernel = "6.1"
    vcpus = 2
    cpu = "test"
    runs = 2
    time = 0
    size = "16M"


print("TAP version 13")
print("1..13")
cells = bs.summarise(rows(PART1) + rows(PART2))
c = cells["10/20+10/80"]
e = c["mpudp-edpf-wg"]["download"]
ok(e["n"] == 1 and e["failed"] == 1 and e["mean"] == 16.0,
   "a failed download is counted, not averaged")
ok(abs(c["_sums"]["download"]["wg-path"] - 17.0) < 1e-9 and
   abs(e["ratio"] - 16.0 / 17.0) < 1e-9,
   "the ratio is to the sum of the same VPN's single-path means")
ok(c["mpudp-edpf-wg"]["reordered_late_gaps"] == [150, 2, 4] and
   c["mpudp-edpf-wg"]["share_pct"] == [61, 39],
   "reorder counters are summed and shares averaged over the runs")
ok(c["wg-path1"]["iperf3"]["n"] == 0 and c["wg-path1"]["iperf3"]["failed"] == 0,
   "an empty column is not measured, not failed")
b = c["bond-rr"]["download"]
ok(b["n"] == 0 and b["failed"] == 1 and bs.mean_ci(b) == "failed",
   "a system that could not be set up shows as failed")
i = cells["10/20+10/20"]["mpudp-edpf-wg"]["iperf3"]
# mean 17.5, sd 0.7071, t(1) 12.706: 12.706 * 0.7071 / sqrt(2) = 6.353
ok(abs(i["mean"] - 17.5) < 1e-9 and abs(i["ci95"] - 6.353) < 1e-3,
   "an older CSV without the download column is read; Student t interval")
md = bs.markdown(cells, Args())
ok("| mpudp-udp-pps | 25.00 ± - | 1 | 50% |" in md,
   "the packet rate through MPUDP as a share of the plain one")
ok("16.00 ± - (1 failed) | 94% of WireGuard |" in md,
   "the markdown row gives the failed runs and the ratio")
ok("WireGuard 100.00 Mbit/s" in md and "ratios are marked *" in md and
   "WireGuard 100.00 Mbit/s" in bs.markdown(bs.summarise(rows(
       PART1.replace("wg-ceiling,none,", "wg-ceiling,,"))), Args()),
   "the ceiling is read, also from the empty cell of older CSVs")
with tempfile.TemporaryDirectory() as d:
    bs.plot_data(cells, d)
    with open(os.path.join(d, "index")) as f:
        index = f.read().split("\n")
    # ratio-20: cells 10/20+10/20 (x 1) and 10/20+10/80 (x 4); iperf3 has
    # only the first, the download only the second: no figure either way.
    ok(not [x for x in index if x], "no figure from one point per metric")
    more = rows(HEAD + "wg-path1,10/20+10/20,1,,60.0,100,-,-,-,9.10,-\n")
    bs.plot_data(bs.summarise(rows(PART1) + rows(PART2) + more), d)
    with open(os.path.join(d, "index")) as f:
        index = f.read()
    ok(index.startswith("download ratio-20 wg-path1") and
       "iperf3" not in index,
       "a figure per metric with two points, the systems that have them")
# The summary: edpf at 16.00 (one run) against plain MPTCP at 17.10 ± 1.27
# (17.0 and 17.2: within the spread), OpenVPN over MPTCP at 20.00 ± 0
# (clearly ahead), bond-rr failed, rr the best of MPUDP; a lossy cell and a
# three-path cell sort after it, a cell without edpf is left out.
PEERS = HEAD + """mptcp,10/20+10/80,1,,-,50:50,-,-,-,17.00,-
mptcp,10/20+10/80,2,,-,50:50,-,-,-,17.20,-
ovpn-tcp-mptcp,10/20+10/80,1,,-,50:50,-,-,-,20.00,-
ovpn-tcp-mptcp,10/20+10/80,2,,-,50:50,-,-,-,20.00,-
mpudp-rr-wg,10/20+10/80,1,,-,50:50,0,0,0,16.50,-
mpudp-edpf-wg,10/20/1+10/20/1,1,,-,50:50,0,0,0,5.00,-
wg-path1,10/20/1+10/20/1,1,,-,100,-,-,-,6.00,-
mpudp-edpf-wg,10/10+5/40+2/120,1,,-,50:50,0,0,0,12.00,-
"""
md = bs.markdown(bs.summarise(rows(PEERS) + rows(PART1) + rows(PART2)), Args())
ok("| 10/20+10/80 | 17.00 | 16.00 (94%) | rr 16.50 | 17.10 | 20.00 | - | "
   "plain MPTCP (in spread), OpenVPN over MPTCP |" in md and
   "| 10/20/1+10/20/1 | 6.00 | 5.00 (83%) | edpf 5.00 | - | - | - | "
   "WireGuard on path1 |" in md,
   "summary: who is ahead of edpf, clearly or within the spread")
table = [x.split(" | ")[0] for x in md.split("## Summary")[1].split("\n\n")[2]
         .splitlines()[2:]]
ok(table == ["| 10/20+10/80", "| 10/10+5/40+2/120", "| 10/20/1+10/20/1"],
   "summary: lossless cells first, fewer paths first; no cell without edpf")
sys.exit(KTAP.status())
