#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host test of tools/bench-events.py, the tables of the module's trace
events: the busiest sender, Mbit/s per bin, parity, edpf's boost, the
latest report carried into the bins (also from before --from), events lost
to the buffer, perf's event names. Prints KTAP.
"""

import os
import re
import subprocess
import sys
import tempfile

from ktap import Ktap

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOL = os.path.join(TOP, "tools", "bench-events.py")

HEAD = "# entries-in-buffer/entries-written: {}/{}   #P:2\n"


def send(t, ns, path, seq, length=1250, parity=False, ahead=5000, boost=0):
    kind = "parity" if parity else "data"
    return (f"          <idle>-0       [001] ..s1. {t:12.6f}: mpudp_send: "
            f"netns={ns} tunnel=1 path={path} {kind} seq={seq} "
            f"path_seq={seq} len={length} ahead={ahead} rate=10000000 "
            f"queue=0 standing=0 delay=0 boost={boost}\n")


def report(t, ns, path, queue, standing, rate):
    return (f"          <idle>-0       [000] ..s1. {t:12.6f}: mpudp_report: "
            f"netns={ns} tunnel=1 path={path} next_path_seq=1 silence=0 "
            f"queue={queue} standing={standing} loss=2500 rate={rate}\n")


# Bins of 100 ms from the first event, a report of path 2 (30 ms, 20 ms
# standing, 9 Mbit/s) at 100.000. Bin 0: netns 7 sends ten datagrams of 1250 bytes on
# path 1 (1 Mbit/s). Bin 1, the last (it ends with its last event, at
# 0.195 s): one parity and four data on path 2 (one of them boosted to 20
# and one to 12 Mbit/s), a report of path 1 (1 ms,
# 0.5 ms standing, 5 Mbit/s, 0.25% loss) and one datagram on it; netns 8 sends less.
lines = [report(100.0, 7, 2, 30000, 20000, 9000000)]
lines += [send(100.005 + i * 0.009, 7, 1, i) for i in range(10)]
lines += [send(100.115, 7, 2, 10, parity=True, ahead=40000)]
lines += [send(100.125 + i * 0.01, 7, 2, 11 + i,
               boost=(0, 20000000, 12000000, 0)[i]) for i in range(4)]
lines += [send(100.15, 8, 1, 1, length=100)]
lines += [report(100.165, 7, 1, 1000, 500, 5000000)]
lines += [send(100.195, 7, 1, 20)]

KTAP = Ktap("bench-events")
ok = KTAP.ok


def run(text, *args):
    with tempfile.NamedTemporaryFile("w", suffix=".events") as f:
        f.write(text)
        f.flush()
        r = subprocess.run([sys.executable, TOOL, *args, f.name],
                           capture_output=True, text=True, check=False)
    return r.returncode, r.stdout, r.stderr


def table(out):
    rows = [x.split("\t") for x in out.splitlines() if not x.startswith("#")]
    return rows[0], rows[1:]


print("TAP version 13")
print("1..8")
rc, out, err = run(HEAD.format(17, 17) + "".join(lines))
head, rows = table(out)
ok(rc == 0 and "netns 7 tunnel 1, 20000 of 20100 bytes" in out and
   len(head) == 19 and len(rows) == 2,
   "the busiest sender: two bins, two paths of nine columns")
ok(rows[0][1:4] == ["1.0", "10", "0"] and rows[1][1:4] == ["0.1", "1", "0"],
   "Mbit/s and datagrams per bin; the last bin as long as its events")
ok(rows[0][10:13] == ["0.0", "0", "0"] and
   rows[1][10:14] == ["0.5", "5", "1", "40.0"],
   "parity among the datagrams of path 2; the longest virtual queue")
ok(rows[0][14] == "0.0" and rows[1][14] == "20.0" and
   rows[0][5] == rows[1][5] == "0.0",
   "edpf's boost: the highest of the bin's datagrams of the path")
ok(rows[0][6:10] == ["0.0", "0.0", "0.0", "0.00"] and
   rows[1][6:10] == ["1.0", "0.5", "5.0", "0.25"] and
   rows[0][15:18] == rows[1][15:18] == ["30.0", "20.0", "9.0"],
   "each bin shows each path's latest report")
rc, out, err = run(HEAD.format(17, 17) + "".join(lines), "--from", "0.12")
head, rows = table(out)
ok(rc == 0 and len(rows) == 1 and rows[0][11:13] == ["4", "0"] and
   rows[0][15:18] == ["30.0", "20.0", "9.0"],
   "--from: a report before it still shows in its bins")
rc, out, err = run(HEAD.format(10, 17) +
                   "".join(x.replace(": mpudp_", ": mpudp:mpudp_")
                           for x in lines))
ok(rc == 0 and "20000 of 20100 bytes" in out and
   "10 of 17 events kept" in err,
   "perf's event names; events lost to the buffer are said")
rc, out, err = run(HEAD.format(17, 17) +
                   "".join(re.sub(r" (standing|boost)=\d+", "", x)
                           for x in lines))
head, rows = table(out)
ok(rc == 0 and rows[0][7] == "0.0" and rows[1][7] == "-" and
   rows[0][16] == rows[1][16] == "-" and rows[1][6] == "1.0" and
   rows[0][5] == rows[1][14] == "-",
   "a trace from before the standing queue and the boost shows neither")
sys.exit(KTAP.status())
