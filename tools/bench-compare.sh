#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench-compare` and `make bench-quick`: installs what is missing,
# builds, runs tools/bench-compare-guest.sh in the VM, then draws the plots
# (tools/bench-plot.sh). Results go to bench/results/<date>-<commit>/
# (compare.md, compare.csv, compare.json, download-*.png, iperf3-*.png), or
# to $BENCH_OUT.
#
# The full run takes longer than a working session (BENCH_DRY=1 says how
# long), so it can be made in parts: BENCH_PART=K/N measures every N-th
# cell from the K-th (the ceilings and packet rates in part 1 only) into
# the results directory's part-K/; `merge DIR` then writes DIR's tables and
# plots from all of DIR/part-*/compare.csv.
#
# usage: tools/bench-compare.sh [quick | merge DIR]
# Environment: BENCH_CELLS, BENCH_SYSTEMS, BENCH_PPS_SYSTEMS (default: the
# full lists below, or the quick ones), BENCH_RUNS, BENCH_SIZE, BENCH_TIME,
# BENCH_CEILING_RUNS (tools/bench-compare-guest.sh), BENCH_PART, BENCH_OUT.
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
# schedulers rr, weighted 75/25 and edpf), 2 downloads of 8 MB each, no
# iperf3, the ceilings and WireGuard's packet rates once.
QUICK_CELLS="10/20+10/80"
QUICK_SYSTEMS="wg-path ovpn-udp-path tcp-path ovpn-tcp bond-rr mptcp ovpn-tcp-mptcp
	mpudp-rr-wg mpudp-weighted75-wg mpudp-edpf-wg mpudp-edpf-ovpn"

# merge DIR: the tables and plots of DIR's parts.
merge()
{
	local dir=$1 first
	local -a csvs args=()

	mapfile -t csvs < <(ls "$dir"/part-*/compare.csv)
	[ ${#csvs[@]} -gt 0 ] || { echo "no $dir/part-*/compare.csv" >&2; exit 1; }
	# What the parts ran with, from one that finished (a part cut short
	# has its runs in compare.csv but no compare.json).
	first=$(ls "$dir"/part-*/compare.json 2>/dev/null | head -n 1)
	[ -z "$first" ] ||
		mapfile -t args < <(jq -r '"--runs", .runs, "--time", .time_s, "--size", .size,
			"--kernel", .kernel, "--vcpus", .vcpus, "--cpu", .cpu' "$first")
	python3 tools/bench-summary.py "${args[@]}" --json "$dir/compare.json" \
		"${csvs[@]}" > "$dir/compare.md"
	{
		echo
		echo "Merged from ${#csvs[@]} parts (${csvs[*]#"$dir"/}):"
		for c in "${csvs[@]}"; do
			tail -n 3 "$(dirname "$c")/compare.md" 2>/dev/null ||
				echo "$c: cut short"
		done
	} >> "$dir/compare.md"
	awk 'FNR > 1 || NR == 1' "${csvs[@]}" > "$dir/compare.csv"
	tools/bench-plot.sh "$dir"
	echo "Results in $dir"
}

case ${1:-} in
quick)
	export BENCH_CELLS=${BENCH_CELLS-$QUICK_CELLS}
	export BENCH_SYSTEMS=${BENCH_SYSTEMS:-$QUICK_SYSTEMS}
	export BENCH_PPS_SYSTEMS=${BENCH_PPS_SYSTEMS:-wg-pps mpudp-wg-pps}
	export BENCH_RUNS=${BENCH_RUNS:-2} BENCH_SIZE=${BENCH_SIZE:-8M}
	export BENCH_TIME=${BENCH_TIME:-0} BENCH_CEILING_RUNS=${BENCH_CEILING_RUNS:-1}
	;;
merge)
	merge "${2:?usage: tools/bench-compare.sh merge DIR}"
	exit
	;;
*)
	export BENCH_CELLS=${BENCH_CELLS-$FULL_CELLS}
	export BENCH_RUNS=${BENCH_RUNS:-3} BENCH_SIZE=${BENCH_SIZE:-16M}
	export BENCH_TIME=${BENCH_TIME:-0}
	;;
esac
# One line each: tools/vm/run passes a variable on a line.
BENCH_CELLS=$(tr -s ' \t\n' '   ' <<< "$BENCH_CELLS" | sed 's/^ //; s/ $//')
[ -z "${BENCH_SYSTEMS:-}" ] ||
	BENCH_SYSTEMS=$(tr -s ' \t\n' '   ' <<< "$BENCH_SYSTEMS" | sed 's/^ //; s/ $//')

out=${BENCH_OUT:-$TOP/bench/results/$(date -u +%Y-%m-%d)-$(git -C "$TOP" describe --always 2>/dev/null || echo unknown)}
if [ -n "${BENCH_PART:-}" ]; then
	IFS=/ read -r k n <<< "$BENCH_PART"
	[[ "$k/$n" =~ ^[0-9]+/[0-9]+$ ]] && [ "$k" -ge 1 ] && [ "$k" -le "$n" ] ||
		{ echo "BENCH_PART: K/N, 1 <= K <= N" >&2; exit 1; }
	BENCH_CELLS=$(tr -s ' \t\n' '\n' <<< "$BENCH_CELLS" | sed '/^$/d' | awk -v k="$k" -v n="$n" \
		'(NR - k) % n == 0' | tr '\n' ' ' | sed 's/ $//')
	[ "$k" = 1 ] || export BENCH_PPS_SYSTEMS=none BENCH_CEILING_RUNS=0
	out=$out/part-$k
fi

tools/deps.sh "$KERNEL"
make -s module mpudpctl KERNEL="$KERNEL" > /dev/null
BENCH_DRY=1 tools/bench-compare-guest.sh
# BENCH_DRY=1: the estimate only (and no results directory).
[ "${BENCH_DRY:-0}" = 0 ] || exit 0
mkdir -p "$out"
export BENCH_OUT=$out
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
