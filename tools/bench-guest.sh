#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark, run inside the VM by tools/bench.sh: TCP goodput (iperf3)
# inside WireGuard between two hosts joined by two 10 Mbit/s paths, for each
# pair of RTTs, with one path alone and with MPUDP's schedulers. Prints a
# markdown table of medians, and writes it with the raw runs (CSV) to
# $BENCH_OUT when set.
#
#   $A wg0 10.9.0.1 ==== WireGuard ==== 10.9.0.2 wg0 $B (iperf3 -s)
#   v1 ---- path 1: 10 Mbit/s, RTT R1 (netem, both ways) ---- v1
#   v2 ---- path 2: 10 Mbit/s, RTT R2 ---------------------- v2
#
# Environment: BENCH_RUNS (3), BENCH_TIME (iperf3 seconds, 10), BENCH_RTTS
# ("20/20 20/80"), BENCH_OUT (directory for results).
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$TOP/selftests/topo.sh"

RUNS=${BENCH_RUNS:-3}
TIME=${BENCH_TIME:-10}
RTTS=${BENCH_RTTS:-20/20 20/80}
OUT=${BENCH_OUT:-}
CSV=$(mktemp)
trap 'cleanup_all_ns; rm -f "$CSV"' EXIT

load_module
modprobe -a wireguard sch_netem

# shape RTT1 RTT2: 10 Mbit/s each way on both paths, half the RTT each way,
# a queue of the bandwidth-delay product plus 50 ms.
shape()
{
	local i=1 rtt limit

	for rtt in "$@"; do
		limit=$(( (10000000 / 8 * (rtt / 2 + 50) / 1000) / 1514 + 10 ))
		netem "$A" "v$i" delay "$((rtt / 2))ms" rate 10mbit limit "$limit"
		netem "$B" "v$i" delay "$((rtt / 2))ms" rate 10mbit limit "$limit"
		i=$((i + 1))
	done
}

# goodput: one iperf3 run through WireGuard, in Mbit/s.
goodput()
{
	ip netns exec "$A" iperf3 -c 10.9.0.2 -t "$TIME" -J |
		jq '.end.sum_received.bits_per_second / 1000000 * 100 | round / 100'
}

median()
{
	sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
		else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# setup RTT1 RTT2 CONFIG: fresh hosts, WireGuard, MPUDP as CONFIG says.
setup()
{
	cleanup_all_ns
	setup_hosts 2
	[ "$1" = none ] || shape "$1" "$2"
	case $3 in
	single) ;;
	rr) mpudp_tunnels 4 51820 rr 2 ;;
	weighted) mpudp_tunnels 4 51820 weighted 2 "${WEIGHTS[@]}" ;;
	nohold)
		mpudp_tunnels 4 51820 rr 2
		mp "$A" tunnel set 1 max-hold 0 > /dev/null
		mp "$B" tunnel set 1 max-hold 0 > /dev/null
		;;
	esac
	wireguard_pair 4
	ip netns exec "$B" iperf3 -s -D -B 10.9.0.2
	busywait 5000 sh -c "ip netns exec $B ss -Hltn 'sport = :5201' | grep -q ."
}

# measure LABEL RTT1 RTT2 CONFIG: RUNS runs; prints the median.
measure()
{
	local label=$1 v all=()

	setup "$2" "$3" "$4"
	for _ in $(seq 1 "$RUNS"); do
		v=$(goodput)
		all+=("$v")
		echo "$label,$2/$3,$4,$v" >> "$CSV"
	done
	printf '%s\n' "${all[@]}" | median
}

echo "# kernel $(uname -r), $(nproc) vCPUs (QEMU TCG), $RUNS runs of ${TIME}s each, medians" >&2
ceiling=$(measure ceiling none none single)
echo "WireGuard without netem (the emulated CPU's ceiling): $ceiling Mbit/s" >&2

table="| path RTTs (ms) | one path | rr | weighted | rr, no resequencing |
| --- | --- | --- | --- | --- |"
for rtts in $RTTS; do
	r1=${rtts%/*}
	r2=${rtts#*/}
	# A hand-picked split: equal for equal paths, 3:2 for the faster
	# path when the RTTs differ.
	if [ "$r1" = "$r2" ]; then WEIGHTS=(1 1); else WEIGHTS=(3 2); fi
	single=$(measure single "$r1" "$r2" single)
	rr=$(measure rr "$r1" "$r2" rr)
	weighted=$(measure weighted "$r1" "$r2" weighted)
	nohold=$(measure nohold "$r1" "$r2" nohold)
	table+="
| $r1 / $r2 | $single | $rr | $weighted (${WEIGHTS[0]}:${WEIGHTS[1]}) | $nohold |"
	echo "$rtts done" >&2
done

echo
echo "TCP goodput inside WireGuard, Mbit/s (iperf3, two 10 Mbit/s paths; medians of $RUNS runs of ${TIME}s; WireGuard without netem: $ceiling Mbit/s)"
echo
echo "$table"
if [ -n "$OUT" ]; then
	{
		echo "# MPUDP benchmark, $(date -u +%Y-%m-%d)"
		echo
		echo "Kernel $(uname -r) in QEMU (TCG, $(nproc) vCPUs) on $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')."
		echo "iperf3 TCP for ${TIME}s inside WireGuard, $RUNS runs per cell, median."
		echo "WireGuard without netem (the emulated CPU's ceiling): $ceiling Mbit/s."
		echo
		echo "$table"
	} > "$OUT/bench.md"
	{ echo "config,rtts,sched,mbit_s"; cat "$CSV"; } > "$OUT/bench.csv"
fi
