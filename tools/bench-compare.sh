#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench-compare` and `make bench-quick`: installs what is missing,
# builds, runs tools/bench-compare-guest.sh in the VM, then draws the plots
# (tools/bench-plot.sh). Results go to bench/results/<date>-<commit>/
# (compare.md, compare.csv, compare.json, goodput-*.png), or to $BENCH_OUT.
#
# usage: tools/bench-compare.sh [quick]
# Environment: BENCH_CELLS, BENCH_SYSTEMS (default: the full lists below, or
# the quick ones), BENCH_RUNS, BENCH_TIME, BENCH_CEILING_RUNS
# (tools/bench-compare-guest.sh).
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$TOP"
KERNEL=${KERNEL:-6.1}

# Issue 5's conditions, 10 Mbit/s paths unless said: symmetric RTTs 10-100
# ms; RTT ratios 1:2 to 1:8 (path 1 at 20 ms; 1:1 is 20/20 above); loss
# 0.1, 1, 3% uniform and Gilbert-Elliott (geMEAN, tools/bench-lib.sh) at
# 20/20 and 20/80 ms; unequal capacities; three paths; and two 3 Mbit/s
# paths, where OpenVPN, CPU-bound in the emulator, is bound by the paths.
FULL_CELLS="10/10+10/10 10/20+10/20 10/40+10/40 10/60+10/60 10/80+10/80 10/100+10/100
	10/20+10/40 10/20+10/60 10/20+10/80 10/20+10/120 10/20+10/160
	10/20/0.1+10/20/0.1 10/20/1+10/20/1 10/20/3+10/20/3
	10/20/ge0.1+10/20/ge0.1 10/20/ge1+10/20/ge1 10/20/ge3+10/20/ge3
	10/20/0.1+10/80/0.1 10/20/1+10/80/1 10/20/3+10/80/3
	10/20/ge0.1+10/80/ge0.1 10/20/ge1+10/80/ge1 10/20/ge3+10/80/ge3
	10/20+2/20 10/10+5/40+2/120 3/20+3/20 3/20+3/80"
# The quick run: one asymmetric cell, every kind of system (of MPUDP's
# schedulers rr, weighted 75/25 and edpf), 2 runs of 5 s, the ceilings 1.
QUICK_CELLS="10/20+10/80"
QUICK_SYSTEMS="wg-path ovpn-udp-path tcp-path ovpn-tcp bond-rr mptcp ovpn-tcp-mptcp
	mpudp-rr-wg mpudp-weighted75-wg mpudp-edpf-wg mpudp-edpf-ovpn"

if [ "${1:-}" = quick ]; then
	export BENCH_CELLS=${BENCH_CELLS-$QUICK_CELLS}
	export BENCH_SYSTEMS=${BENCH_SYSTEMS:-$QUICK_SYSTEMS}
	export BENCH_RUNS=${BENCH_RUNS:-2} BENCH_TIME=${BENCH_TIME:-5}
	export BENCH_CEILING_RUNS=${BENCH_CEILING_RUNS:-1}
else
	export BENCH_CELLS=${BENCH_CELLS-$FULL_CELLS}
	export BENCH_RUNS=${BENCH_RUNS:-5} BENCH_TIME=${BENCH_TIME:-10}
fi
# One line each: tools/vm/run passes a variable on a line.
BENCH_CELLS=$(tr -s ' \t\n' '   ' <<< "$BENCH_CELLS" | sed 's/^ //; s/ $//')
[ -z "${BENCH_SYSTEMS:-}" ] ||
	BENCH_SYSTEMS=$(tr -s ' \t\n' '   ' <<< "$BENCH_SYSTEMS" | sed 's/^ //; s/ $//')

tools/deps.sh "$KERNEL"
make -s module mpudpctl KERNEL="$KERNEL" > /dev/null
out=${BENCH_OUT:-$TOP/bench/results/$(date -u +%Y-%m-%d)-$(git -C "$TOP" describe --always 2>/dev/null || echo unknown)}
mkdir -p "$out"
export BENCH_OUT=$out
BENCH_DRY=1 tools/bench-compare-guest.sh
start=$(date +%s)
tools/vm/run -k "$KERNEL" -t 86400 -o "$out" -- tools/bench-compare-guest.sh
{
	echo
	echo "Host: $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) cores;"
	echo "$(qemu-system-x86_64 --version | head -n 1); MPUDP $(git -C "$TOP" describe --always --dirty 2>/dev/null)."
	echo "Wall time, VM boot included: $(( $(date +%s) - start )) s."
} >> "$out/compare.md"
tools/bench-plot.sh "$out"
echo "Results in $out"
