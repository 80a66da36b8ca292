#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark, run inside the VM by tools/bench.sh: TCP goodput (iperf3)
# inside WireGuard between two hosts joined by two 10 Mbit/s paths, for each
# pair of RTTs, with each path alone and with MPUDP's schedulers. Prints a
# markdown table of medians, and writes it with the raw runs (CSV) to
# $BENCH_OUT when set.
#
#   $A wg0 10.9.0.1 ==== WireGuard ==== 10.9.0.2 wg0 $B (iperf3 -s)
#   v1 ---- path 1: 10 Mbit/s, RTT R1 (netem, both ways) ---- v1
#   v2 ---- path 2: 10 Mbit/s, RTT R2 ---------------------- v2
#
# Environment: BENCH_RUNS (3), BENCH_TIME (iperf3 seconds, 10), BENCH_RTTS
# ("20/20 20/80"; empty: no goodput runs), BENCH_FAILOVER (1; 0: no failover
# runs), BENCH_OUT (directory for results).
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$TOP/selftests/topo.sh"

RUNS=${BENCH_RUNS:-3}
TIME=${BENCH_TIME:-10}
RTTS=${BENCH_RTTS-20/20 20/80}
FAILOVER=${BENCH_FAILOVER:-1}
OUT=${BENCH_OUT:-}
CSV=$(mktemp)
trap 'cleanup_all_ns; rm -f "$CSV"' EXIT

load_module
# Loaded now: autoloading them in the middle of a measurement takes seconds.
modprobe -a wireguard sch_netem sch_ingress cls_matchall act_gact act_mirred dummy

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
	rr | edpf | minrtt) mpudp_tunnels 4 51820 "$3" 2 ;;
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
ceiling=-
[ -z "$RTTS" ] || ceiling=$(measure ceiling none none single)
echo "WireGuard without netem (the emulated CPU's ceiling): $ceiling Mbit/s" >&2

table="| path RTTs (ms) | path 1 alone | path 2 alone | rr | weighted | rr, no resequencing | minrtt | edpf | edpf / sum of both alone |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for rtts in $RTTS; do
	r1=${rtts%/*}
	r2=${rtts#*/}
	# A hand-picked split: equal for equal paths, 3:2 for the faster
	# path when the RTTs differ.
	if [ "$r1" = "$r2" ]; then WEIGHTS=(1 1); else WEIGHTS=(3 2); fi
	single=$(measure single "$r1" "$r2" single)
	# Path 2 alone: the same hosts with the two RTTs swapped.
	single2=$(measure single2 "$r2" "$r1" single)
	rr=$(measure rr "$r1" "$r2" rr)
	weighted=$(measure weighted "$r1" "$r2" weighted)
	nohold=$(measure nohold "$r1" "$r2" nohold)
	minrtt=$(measure minrtt "$r1" "$r2" minrtt)
	edpf=$(measure edpf "$r1" "$r2" edpf)
	ratio=$(awk -v e="$edpf" -v a="$single" -v b="$single2" 'BEGIN { printf "%.0f%%", 100 * e / (a + b) }')
	table+="
| $r1 / $r2 | $single | $single2 | $rr | $weighted (${WEIGHTS[0]}:${WEIGHTS[1]}) | $nohold | $minrtt | $edpf | $ratio |"
	echo "$rtts done" >&2
done

# sampler NS DEV STAT MIN SECONDS: for SECONDS, every 2 ms, prints "TIME
# DELTA" (TIME in us) when DEV's STAT (e.g. tx_bytes) grew by MIN or more
# since the previous sample. Bash builtins only, so sampling forks nothing.
sampler()
{
	# shellcheck disable=SC2016
	ip netns exec "$1" bash -c '
		f=/sys/class/net/$1/statistics/$2
		exec {z}<> <(:)
		read -r last < "$f"
		end=$(( ${EPOCHREALTIME/./} + $4 * 1000000 ))
		while :; do
			read -r -t 0.002 -u "$z" _ || true
			now=${EPOCHREALTIME/./}
			read -r v < "$f"
			(( v - last < $3 )) || echo "$now $((v - last))"
			last=$v
			(( now < end )) || break
		done' _ "$2" "$3" "$4" "$5"
}

# failover MODE: WireGuard with iperf3 over two 10 Mbit/s paths of RTT
# 40 ms, edpf; one path goes dark both ways at B. MODE busy: path 1, which
# carries the transfer; idle: path 2, a backup path carrying no data.
# The blackhole redirects the path's packets at B to dummy devices, whose
# counters tell when it took effect (tc takes 100s of ms to apply a filter
# on the emulated CPU): time 0 is the first datagram from A it swallowed.
# Prints "STOP GAP SUSPECT FAILED" in ms after that: the last data datagram
# A's device sent on the path (it includes what the path's netem queue
# still held), the longest pause of the inner TCP stream at B, the suspect
# and failed events (as `mpudpctl monitor` printed them).
failover()
{
	local mode=$1 id=1 dev=v1 dir d t0 stop gap suspect failed pids=()

	dir=$(mktemp -d)
	setup 40 40 edpf
	if [ "$mode" = idle ]; then
		id=2
		dev=v2
		mp "$A" path set tunnel 1 id 2 backup > /dev/null
		mp "$B" path set tunnel 1 id 2 backup > /dev/null
	fi
	ip netns exec "$A" "$MPUDPCTL" -j monitor |
		while IFS= read -r l; do echo "${EPOCHREALTIME/./} $l"; done > "$dir/ev" &
	busywait 5000 monitor_listening "$A"
	# A tc reading commands from a pipe blackholes the path when it is
	# told to: no process to start then.
	ip netns exec "$B" tc qdisc add dev "$dev" clsact
	for d in dark_in dark_out; do
		ip -n "$B" link add "$d" type dummy
		ip -n "$B" link set "$d" up
	done
	coproc TC { ip netns exec "$B" tc -force -batch -; }
	ip netns exec "$A" iperf3 -c 10.9.0.2 -t 8 > /dev/null &
	pids+=($!)
	busywait 10000 sh -c "[ \$(ip netns exec $A cat /sys/class/net/v1/statistics/tx_bytes) -gt 2000000 ]"
	sampler "$A" "$dev" tx_bytes 1000 4 > "$dir/tx" &
	pids+=($!)
	sampler "$B" wg0 rx_bytes 1 4 > "$dir/rx" &
	pids+=($!)
	sampler "$B" dark_in tx_packets 1 4 > "$dir/dark" &
	pids+=($!)
	busywait 5000 test -s "$dir/rx"
	echo "bench: blackhole $dev at B" > /dev/kmsg
	echo "filter add dev $dev ingress matchall action mirred egress redirect dev dark_in" >&"${TC[1]}"
	echo "filter add dev $dev egress matchall action mirred egress redirect dev dark_out" >&"${TC[1]}"
	wait "${pids[@]}"
	eval "exec ${TC[1]}>&-"
	wait "$TC_PID" || true
	t0=$(awk 'NR == 1 { print $1 }' "$dir/dark")
	if [ -z "$t0" ]; then
		rm -rf "$dir"
		echo "- - - -"
		return
	fi
	stop=$(awk -v t0="$t0" '$1 >= t0 { l = $1 } END { printf "%d", l ? (l - t0) / 1000 : 0 }' "$dir/tx")
	gap=$(awk -v t0="$t0" '$1 >= t0 - 500000 && $1 <= t0 + 3000000 {
		if (p && $1 - p > g) g = $1 - p; p = $1 } END { printf "%d", g / 1000 }' "$dir/rx")
	suspect=$(awk -v t0="$t0" -v id="$id" 'index($0, "\"path\":" id ",\"state\":\"suspect\"") &&
		$1 >= t0 { printf "%d", ($1 - t0) / 1000; exit }' "$dir/ev")
	failed=$(awk -v t0="$t0" -v id="$id" 'index($0, "\"path\":" id ",\"state\":\"failed\"") &&
		$1 >= t0 { printf "%d", ($1 - t0) / 1000; exit }' "$dir/ev")
	rm -rf "$dir"
	echo "${stop:--} ${gap:--} ${suspect:--} ${failed:--}"
}

# The median of column N of the lines on stdin, of the runs that have a
# value there ("-": e.g. no such event), with how many those were if fewer.
column_median()
{
	local v

	v=$(awk -v n="$1" '$n != "-" { print $n }')
	if [ -z "$v" ]; then
		echo "-"
	elif [ "$(wc -l <<< "$v")" -lt "$RUNS" ]; then
		echo "$(median <<< "$v") ($(wc -l <<< "$v") of $RUNS runs)"
	else
		median <<< "$v"
	fi
}

fo_busy=
fo_idle=
if [ "$FAILOVER" = 1 ]; then
	fo_busy=$(for _ in $(seq 1 "$RUNS"); do failover busy; done)
	fo_idle=$(for _ in $(seq 1 "$RUNS"); do failover idle; done)
fi
while read -r l; do echo "failover-busy,40/40,edpf,$l" | tr ' ' ';' >> "$CSV"; done <<< "$fo_busy"
while read -r l; do echo "failover-idle,40/40,edpf,$l" | tr ' ' ';' >> "$CSV"; done <<< "$fo_idle"
fo_table="| a path goes dark (RTT 40/40 ms, edpf, TCP in WireGuard) | busy path | idle (backup) path |
| --- | --- | --- |
| last data datagram sent on it, ms after | $(column_median 1 <<< "$fo_busy") | (none) |
| longest pause of the inner TCP stream, ms | $(column_median 2 <<< "$fo_busy") | $(column_median 2 <<< "$fo_idle") |
| state suspect (data leaves it), ms after | $(column_median 3 <<< "$fo_busy") | $(column_median 3 <<< "$fo_idle") |
| state failed, ms after | $(column_median 4 <<< "$fo_busy") | $(column_median 4 <<< "$fo_idle") |"
echo "failover done" >&2

echo
echo "TCP goodput inside WireGuard, Mbit/s (iperf3, two 10 Mbit/s paths; medians of $RUNS runs of ${TIME}s; WireGuard without netem: $ceiling Mbit/s)"
echo
echo "$table"
echo
echo "Failover: medians of $RUNS runs, each path 10 Mbit/s"
echo
echo "$fo_table"
if [ -n "$OUT" ]; then
	{
		echo "# MPUDP benchmark, $(date -u +%Y-%m-%d)"
		echo
		echo "Kernel $(uname -r) in QEMU (TCG, $(nproc) vCPUs) on $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')."
		echo "iperf3 TCP for ${TIME}s inside WireGuard, $RUNS runs per cell, median."
		echo "WireGuard without netem (the emulated CPU's ceiling): $ceiling Mbit/s."
		echo
		echo "$table"
		echo
		echo "Failover: medians of $RUNS runs; a path goes dark both ways while iperf3"
		echo "runs (the receiving host redirects its packets to dummy devices); times"
		echo "from the first datagram swallowed, sampled every 2 ms from the devices'"
		echo 'byte counters, and from `mpudpctl monitor`.'
		echo
		echo "$fo_table"
	} > "$OUT/bench.md"
	{ echo "config,rtts,sched,result"; cat "$CSV"; } > "$OUT/bench.csv"
fi
