#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark, run inside the VM by tools/bench.sh: TCP goodput (iperf3)
# inside WireGuard between two hosts joined by two or more emulated paths,
# for each set of paths ("cell"), with each path alone and with MPUDP's
# schedulers; then failover times. Prints markdown tables of medians, and
# writes them with the raw runs (CSV) to $BENCH_OUT when set.
#
#   $A wg0 10.9.0.1 ==== WireGuard ==== 10.9.0.2 wg0 $B (iperf3 -s)
#   v1 ---- path 1: RATE, RTT, loss (netem, both ways) ---- v1
#   v2 ---- path 2 ---------------------------------------- v2
#   ...
#
# Environment: BENCH_RUNS (3), BENCH_TIME (iperf3 seconds, 10), BENCH_CELLS
# (space-separated cells; a cell is its paths joined by "+", a path
# RATE/RTT[/LOSS] as tools/bench-lib.sh describes; empty: no goodput runs),
# BENCH_FAILOVER (1; 0: no failover runs), BENCH_OUT (directory for results).
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$TOP/tools/bench-lib.sh"

CELLS=${BENCH_CELLS-10/20+10/20 10/20+10/80 10/10+5/40+2/120 10/20/1+10/80/1}
FAILOVER=${BENCH_FAILOVER:-1}
OUT=${BENCH_OUT:-}
CSV=$(mktemp)
trap 'cleanup_all_ns; rm -f "$CSV"' EXIT

load_module
# Loaded now: autoloading them in the middle of a measurement takes seconds.
modprobe -a wireguard sch_netem sch_ingress cls_matchall act_gact act_mirred dummy

# goodput: one iperf3 run through WireGuard, in Mbit/s.
goodput()
{
	goodput_to "$A" 10.9.0.2 "$TIME"
}

# setup CONFIG PATH...: fresh hosts joined by the paths, WireGuard, MPUDP
# as CONFIG says (single: none, WireGuard on path 1 alone).
setup()
{
	local config=$1 n

	shift
	n=$(( $# > 1 ? $# : 1 ))
	cleanup_all_ns
	setup_hosts "$n"
	[ "$1" = none ] || shape "$@"
	case $config in
	single) ;;
	rr | edpf | minrtt) mpudp_tunnels 4 51820 "$config" "$n" ;;
	weighted) mpudp_tunnels 4 51820 weighted "$n" "${WEIGHTS[@]}" ;;
	nohold)
		mpudp_tunnels 4 51820 rr "$n"
		mp "$A" tunnel set 1 max-hold 0 > /dev/null
		mp "$B" tunnel set 1 max-hold 0 > /dev/null
		;;
	esac
	wireguard_pair 4
	iperf3_server "$B"
}

# measure LABEL CELL CONFIG PATH...: RUNS runs; prints the median.
measure()
{
	local label=$1 cell=$2 config=$3 v all=()

	shift 3
	setup "$config" "$@"
	for _ in $(seq 1 "$RUNS"); do
		v=$(goodput)
		all+=("$v")
		echo "$label,$cell,$config,$v" >> "$CSV"
	done
	printf '%s\n' "${all[@]}" | median
}

# weights PATH...: the weighted scheduler's hand-picked split: the paths'
# rates; for paths of equal rates, 3 for the fastest and 2 for the others
# when their RTTs differ.
weights()
{
	local path rate rtt min rates=() rtts=()

	for path in "$@"; do
		IFS=/ read -r rate rtt _ <<< "$path"
		rates+=("$rate")
		rtts+=("$rtt")
	done
	if [ "$(printf '%s\n' "${rates[@]}" | sort -u | wc -l)" -gt 1 ]; then
		echo "${rates[@]}"
	elif [ "$(printf '%s\n' "${rtts[@]}" | sort -u | wc -l)" -gt 1 ]; then
		min=$(printf '%s\n' "${rtts[@]}" | sort -n | head -n 1)
		for rtt in "${rtts[@]}"; do
			if [ "$rtt" = "$min" ]; then echo -n "3 "; else echo -n "2 "; fi
		done
		echo
	else
		printf '1 %.0s' "${rtts[@]}"
		echo
	fi
}

echo "# kernel $(uname -r), $(nproc) vCPUs (QEMU TCG), $RUNS runs of ${TIME}s each, medians" >&2
ceiling=-
[ -z "$CELLS" ] || ceiling=$(measure ceiling none single none)
echo "WireGuard without netem (the emulated CPU's ceiling): $ceiling Mbit/s" >&2

table="| paths: Mbit/s / RTT ms [/ loss %] | each path alone, sum | rr | weighted | rr, no resequencing | minrtt | edpf | edpf / sum of each alone |
| --- | --- | --- | --- | --- | --- | --- | --- |"
for cell in $CELLS; do
	IFS=+ read -r -a paths <<< "$cell"
	read -r -a WEIGHTS <<< "$(weights "${paths[@]}")"
	alone=()
	for i in "${!paths[@]}"; do
		alone+=("$(measure "single$((i + 1))" "$cell" single "${paths[$i]}")")
	done
	sum=$(printf '%s\n' "${alone[@]}" | awk '{ s += $1 } END { printf "%.2f", s }')
	r=()
	for config in rr weighted nohold minrtt edpf; do
		r+=("$(measure "$config" "$cell" "$config" "${paths[@]}")")
	done
	ratio=$(awk -v e="${r[4]}" -v s="$sum" 'BEGIN { printf "%.0f%%", 100 * e / s }')
	table+="
| ${cell//+/, } | $(IFS=+; echo "${alone[*]}") = $sum | ${r[0]} | ${r[1]} ($(IFS=:; echo "${WEIGHTS[*]}")) | ${r[2]} | ${r[3]} | ${r[4]} | $ratio |"
	echo "$cell done" >&2
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
	setup edpf 10/40 10/40
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

fo_table=
if [ "$FAILOVER" = 1 ]; then
	fo_busy=$(for _ in $(seq 1 "$RUNS"); do failover busy; done)
	fo_idle=$(for _ in $(seq 1 "$RUNS"); do failover idle; done)
	while read -r l; do echo "failover-busy,10/40+10/40,edpf,$l" | tr ' ' ';' >> "$CSV"; done <<< "$fo_busy"
	while read -r l; do echo "failover-idle,10/40+10/40,edpf,$l" | tr ' ' ';' >> "$CSV"; done <<< "$fo_idle"
	fo_table="| a path goes dark (RTT 40/40 ms, edpf, TCP in WireGuard) | busy path | idle (backup) path |
| --- | --- | --- |
| last data datagram sent on it, ms after | $(column_median 1 <<< "$fo_busy") | (none) |
| longest pause of the inner TCP stream, ms | $(column_median 2 <<< "$fo_busy") | $(column_median 2 <<< "$fo_idle") |
| state suspect (data leaves it), ms after | $(column_median 3 <<< "$fo_busy") | $(column_median 3 <<< "$fo_idle") |
| state failed, ms after | $(column_median 4 <<< "$fo_busy") | $(column_median 4 <<< "$fo_idle") |"
	echo "failover done" >&2
fi

echo
echo "TCP goodput inside WireGuard, Mbit/s (iperf3; medians of $RUNS runs of ${TIME}s; WireGuard without netem: $ceiling Mbit/s)"
echo
[ -z "$CELLS" ] || echo "$table"
if [ -n "$fo_table" ]; then
	echo
	echo "Failover: medians of $RUNS runs, each path 10 Mbit/s"
	echo
	echo "$fo_table"
fi
if [ -n "$OUT" ]; then
	{
		echo "# MPUDP benchmark, $(date -u +%Y-%m-%d)"
		echo
		echo "Kernel $(uname -r) in QEMU (TCG, $(nproc) vCPUs) on $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')."
		echo "iperf3 TCP for ${TIME}s inside WireGuard, $RUNS runs per cell, median."
		echo "WireGuard without netem (the emulated CPU's ceiling): $ceiling Mbit/s."
		echo
		[ -z "$CELLS" ] || echo "$table"
		if [ -n "$fo_table" ]; then
			echo
			echo "Failover: medians of $RUNS runs; a path goes dark both ways while iperf3"
			echo "runs (the receiving host redirects its packets to dummy devices); times"
			echo "from the first datagram swallowed, sampled every 2 ms from the devices'"
			echo 'byte counters, and from `mpudpctl monitor`.'
			echo
			echo "$fo_table"
		fi
	} > "$OUT/bench.md"
	{ echo "config,paths,sched,result"; cat "$CSV"; } > "$OUT/bench.csv"
fi
