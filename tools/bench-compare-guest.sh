#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The comparison benchmark (issue 5), run inside the VM by
# tools/bench-compare.sh: for each set of paths ("cell"), through each
# system below, side by side in one run, TCP goodput of
#   - a download of a BENCH_SIZE file over HTTP (curl on $A from a web
#     server on $B, as the reference paper's 16 MB wget), and
#   - iperf3 from $A to $B for BENCH_TIME seconds,
# with ping's RTT through the tunnel during the transfers and, for MPUDP,
# the reorder counters of both ends. Before the cells, the CPU cost: the
# highest packet rate (64-byte UDP datagrams, iperf3 -u) over unshaped paths,
# plain and through MPUDP (cell "pps"). Writes compare.md, compare.csv (a
# row per run) and compare.json to $BENCH_OUT when set; prints the tables.
#
#   $A  wg0 10.9.0.1 / tun0 10.8.0.1 == VPN == 10.9.0.2 wg0 / 10.8.0.2 tun0  $B
#   v1 10.1.1.1 ------- path 1: RATE, RTT, loss (netem, both ways) ------- v1
#   v2 10.1.2.1 ------- path 2 -------------------------------------------- v2
#   ...                                  (iperf3 -s and the web server on $B)
#
# Systems (BENCH_SYSTEMS, all in this order by default; "wg-path" means
# wg-path1..N, likewise "ovpn-udp-path" and "tcp-path"):
#   wg-pathI         WireGuard on path I alone
#   ovpn-udp-pathI   OpenVPN, UDP, on path I alone
#   ovpn-tcp         OpenVPN, TCP (TCP in TCP), on path 1 alone
#   tcp-pathI        plain TCP on path I alone, no VPN
#   bond-rr          bonding balance-rr over every path, WireGuard on top:
#                    naive striping
#   mptcp            plain MPTCP (iperf3 under mptcpize), no VPN: $B
#                    announces its address on paths 2..N (signal endpoints),
#                    $A opens a subflow to each
#   ovpn-tcp-mptcp   OpenVPN in TCP mode over MPTCP (both ends under mptcpize)
#   mpudp-S-wg       MPUDP with scheduler S under WireGuard, S one of rr,
#                    weighted75 and weighted90 (weighted, path 1 carrying 75%
#                    or 90%, the others sharing the rest equally), minrtt, edpf
#   mpudp-S-ovpn     the same under OpenVPN UDP
#   mpudp-fecK-wg    MPUDP edpf with forward error correction, a parity
#                    datagram after every K (both ends), under WireGuard
#   mpudp-fecK-ovpn  the same under OpenVPN UDP
# OpenVPN runs in peer-to-peer mode without TLS, with --cipher none --auth
# none as in the reference paper (so no replay window either), and --mssfix
# 1400 everywhere so that MPUDP's header fits. Before the cells, the ceilings
# of the emulated CPU: WireGuard and OpenVPN UDP over one unshaped path
# (systems wg-ceiling, ovpn-ceiling, cell "none").
# The packet rates (BENCH_PPS_SYSTEMS, cell "pps", one unshaped path, MPUDP
# with that one path: its cost per datagram; iperf3 -u -b 0 -l 64, the
# datagrams $B received per second):
#   udp-pps          plain UDP
#   mpudp-udp-pps    plain UDP through MPUDP (edpf; a tunnel for iperf3's
#                    4-tuple, port 5201 on both ends)
#   wg-pps           UDP in WireGuard
#   mpudp-wg-pps     UDP in WireGuard through MPUDP (edpf)
#
# Environment: BENCH_CELLS (space-separated cells; a cell is its paths joined
# by "+", a path RATE/RTT[/LOSS] as tools/bench-lib.sh describes), BENCH_RUNS
# (3), BENCH_SIZE (the download, 16M; 0: none), BENCH_TIME (iperf3 seconds,
# 10; 0: none), BENCH_SYSTEMS, BENCH_CEILING_RUNS (runs of the ceilings and
# the packet rates; BENCH_RUNS; 0: neither), BENCH_PPS_SYSTEMS (all four; "none": skip),
# BENCH_OUT (results), BENCH_DRY (1: print how long the run would take, and
# stop), BENCH_TRACE (1: trace each download into $BENCH_OUT/trace/, see
# trace_start; the sampling costs the emulated CPU some goodput, so traced
# figures are not compared with untraced ones; "events": only the module's
# trace events, which cost less).
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$TOP/tools/bench-lib.sh"

CELLS=${BENCH_CELLS-10/20+10/80}
SYSTEMS=${BENCH_SYSTEMS:-wg-path ovpn-udp-path tcp-path ovpn-tcp bond-rr mptcp ovpn-tcp-mptcp
	mpudp-rr-wg mpudp-weighted75-wg mpudp-weighted90-wg mpudp-minrtt-wg mpudp-edpf-wg
	mpudp-rr-ovpn mpudp-weighted75-ovpn mpudp-weighted90-ovpn mpudp-minrtt-ovpn
	mpudp-edpf-ovpn mpudp-fecauto-wg}
PPS_SYSTEMS=${BENCH_PPS_SYSTEMS:-udp-pps mpudp-udp-pps wg-pps mpudp-wg-pps}
[ "$PPS_SYSTEMS" != none ] || PPS_SYSTEMS=
CEILING_RUNS=${BENCH_CEILING_RUNS:-$RUNS}
SIZE=${BENCH_SIZE:-16M}
# A download that takes longer fails (about 1 Mbit/s for 16 MB).
MAX_DOWNLOAD=150
OUT=${BENCH_OUT:-}
TRACE=${BENCH_TRACE:-0}
WORK=$(mktemp -d)
# Written as the runs go: a run cut short keeps what it measured.
CSV=${OUT:-$WORK}/compare.csv
trap 'cleanup_all_ns; rm -rf "$WORK"' EXIT

# What start_system sets for the runs: iperf3's and ping's destination, and
# the command iperf3 runs under (mptcpize for plain MPTCP).
DST=
WRAP=()

# ovpn_pair MODE [WRAPPER...]: OpenVPN between $A (10.8.0.1) and $B
# (10.8.0.2) on path 1's addresses, MODE udp or tcp ($B the TCP server,
# listening on every address so that MPTCP can join it on the others),
# each end started by WRAPPER if given.
ovpn_pair()
{
	local mode=$1 side l r
	local -a opt

	shift
	for side in B A; do
		if [ $side = A ]; then l=1; r=2; else l=2; r=1; fi
		opt=(--daemon --log "$WORK/ovpn-$side.log" --verb 3
			--dev tun0 --dev-type tun --ifconfig "10.8.0.$l" "10.8.0.$r"
			--cipher none --auth none --mssfix 1400)
		if [ "$mode" = udp ]; then
			opt+=(--proto udp4 --local "10.1.1.$l" --lport 1194
				--remote "10.1.1.$r" --rport 1194)
		elif [ $side = B ]; then
			opt+=(--proto tcp4-server --lport 1194)
		else
			opt+=(--proto tcp4-client --remote 10.1.1.2 --rport 1194
				--nobind --connect-retry 1)
		fi
		ip netns exec "${!side}" "$@" openvpn "${opt[@]}"
		[ "$mode$side" != tcpB ] ||
			busywait 10000 sh -c "ip netns exec $B ss -Hltn 'sport = :1194' | grep -q ." ||
			return 1
	done
	for side in A B; do
		busywait 30000 grep -q 'Initialization Sequence Completed' "$WORK/ovpn-$side.log" ||
			{ fail "OpenVPN $mode did not start: $(tail -n 5 "$WORK/ovpn-$side.log")"; return 1; }
	done
}

# bond_pair N: bond0 (balance-rr) of v1..vN on both hosts, with path 1's
# addresses.
bond_pair()
{
	local n=$1 ns i

	for ns in "$A" "$B"; do
		ip -n "$ns" link add bond0 type bond mode balance-rr miimon 100
		for i in $(seq 1 "$n"); do
			ip -n "$ns" addr flush dev "v$i"
			ip -n "$ns" link set "v$i" down
			ip -n "$ns" link set "v$i" master bond0
		done
		ip -n "$ns" link set bond0 up
	done
	ip -n "$A" addr add 10.1.1.1/24 dev bond0
	ip -n "$B" addr add 10.1.1.2/24 dev bond0
	busywait 10000 ip netns exec "$A" ping -q -c 1 -W 1 10.1.1.2 > /dev/null
}

# mptcp_paths N: $B announces its address on paths 2..N; both ends accept
# a subflow per path.
mptcp_paths()
{
	local n=$1 ns i

	for ns in "$A" "$B"; do
		ip -n "$ns" mptcp limits set subflows $((n - 1)) add_addr_accepted $((n - 1))
	done
	for i in $(seq 2 "$n"); do
		ip -n "$B" mptcp endpoint add "10.1.$i.2" dev "v$i" signal
	done
}

# mpudp_weights N SHARE: path 1 SHARE %, the others the rest equally.
mpudp_weights()
{
	local n=$1 share=$2 i

	echo -n "$(( share * (n - 1) )) "
	for i in $(seq 2 "$n"); do echo -n "$(( 100 - share )) "; done
	echo
}

# start_system SYSTEM PATH...: fresh hosts joined by the paths (those SYSTEM
# uses; none: one unshaped path), SYSTEM on them, iperf3 -s on $B.
start_system()
{
	local sys=$1 n sched port
	local -a paths

	shift
	paths=("$@")
	case $sys in
	*-path*) paths=("${paths[$(( ${sys##*path} - 1 ))]}") ;;
	ovpn-tcp | *-pps) paths=("$1") ;;
	esac
	n=${#paths[@]}
	DST=10.9.0.2
	WRAP=()
	cleanup_all_ns
	setup_hosts "$n"
	[ "$sys" != bond-rr ] || bond_pair "$n" || return 1
	[ "${paths[0]}" = none ] || shape "${paths[@]}"
	case $sys in
	wg-path* | wg-ceiling | bond-rr) wireguard_pair 4 ;;
	tcp-path*) DST=10.1.1.2 ;;
	ovpn-udp-path* | ovpn-ceiling) ovpn_pair udp || return 1; DST=10.8.0.2 ;;
	ovpn-tcp) ovpn_pair tcp || return 1; DST=10.8.0.2 ;;
	mptcp) mptcp_paths "$n"; DST=10.1.1.2; WRAP=(mptcpize run) ;;
	ovpn-tcp-mptcp)
		mptcp_paths "$n"
		ovpn_pair tcp mptcpize run || return 1
		DST=10.8.0.2
		;;
	mpudp-*-wg | mpudp-*-ovpn)
		sched=${sys#mpudp-}
		sched=${sched%-*}
		port=51820
		[ "${sys%-ovpn}" = "$sys" ] || port=1194
		if [ "${sched#weighted}" != "$sched" ]; then
			# shellcheck disable=SC2046
			mpudp_tunnels 4 $port weighted "$n" $(mpudp_weights "$n" "${sched#weighted}") ||
				return 1
		elif [ "${sched#fec}" != "$sched" ]; then
			mpudp_tunnels 4 $port edpf "$n" || return 1
			mp "$A" tunnel set 1 fec "${sched#fec}" > /dev/null || return 1
			mp "$B" tunnel set 1 fec "${sched#fec}" > /dev/null || return 1
		else
			mpudp_tunnels 4 $port "$sched" "$n" || return 1
		fi
		if [ $port = 1194 ]; then
			ovpn_pair udp || return 1
			DST=10.8.0.2
		else
			wireguard_pair 4
		fi
		;;
	udp-pps) DST=10.1.1.2 ;;
	mpudp-udp-pps) mpudp_tunnels 4 5201 edpf "$n" || return 1; DST=10.1.1.2 ;;
	wg-pps) wireguard_pair 4 ;;
	mpudp-wg-pps) mpudp_tunnels 4 51820 edpf "$n" || return 1; wireguard_pair 4 ;;
	*) fail "unknown system $sys"; return 1 ;;
	esac
	iperf3_server "$B" "${WRAP[@]}"
	[ "$SIZE" = 0 ] || [ "${sys%-pps}" != "$sys" ] || http_server "$B" "$WORK/www" "${WRAP[@]}"
}

# path_bytes: the bytes $A's v1, v2, ... have sent and received,
# space-separated.
path_bytes()
{
	ip netns exec "$A" sh -c 'for d in /sys/class/net/v*/statistics; do
		echo $(( $(cat $d/tx_bytes) + $(cat $d/rx_bytes) )); done' | tr '\n' ' '
}

# reorder_counters: the tunnel counters of both ends, summed: "reordered
# late gaps" (gaps: given up after the hold time, proven lost, or for a full
# buffer); nothing without MPUDP.
reorder_counters()
{
	local ns

	for ns in "$A" "$B"; do
		mp "$ns" -j tunnel show 1 2>/dev/null || return 0
	done | jq -rs '[.[][0].stats // empty] | select(length == 2) |
		map([.rx_reordered, .rx_late, .rx_gaps_timeout + .rx_gaps_proven + .rx_gaps_lost + .rx_gaps_overflow]) |
		transpose | map(add) | join(" ")' 2>/dev/null || true
}

# trace_start SYSTEM CELL RUN: with BENCH_TRACE=1, samples $B (the web
# server, which sends the download) until trace_stop: each path's netem
# queue (backlog, drops) and the download's TCP state (ss -ti: cwnd,
# ssthresh, rtt, retransmissions), into $OUT/trace/CELL-SYSTEM-RUN.txt.
# Every 20 ms on a real CPU; under emulation starting tc and ss takes
# longer: about one sample a second. trace_stop adds $B's TCP counters of
# slow start's end (HyStart) and of losses. tools/bench-trace.py reads the
# file. With BENCH_TRACE=1 or events, an MPUDP system's download also
# records the module's trace events (mpudp/trace.h), both hosts', into
# CELL-SYSTEM-RUN.events; tools/bench-events.py reads them.
trace_start()
{
	TRACE_FILE=$OUT/trace/${2//\//_}-$1-$3.txt
	mkdir -p "$OUT/trace"
	if [[ "$1" == mpudp-* ]]; then
		trace_events 0
		echo > "$TRACEFS/trace"
		trace_events 1
	fi
	[ "$TRACE" = 1 ] || return 0
	ip netns exec "$B" nstat -n > /dev/null 2>&1 || true
	ip netns exec "$B" sh -c 'while :; do
		echo "T $(date +%s.%N)"
		tc -s qdisc show
		ss -tin "sport = :8080"
		sleep 0.02
	done' > "$TRACE_FILE" 2>&1 &
	TRACE_PID=$!
}

# trace_events 0|1: the module's trace events off or on, into a buffer of
# 8 MB per CPU: a 16 MB download makes about 30,000 events, both hosts'.
TRACEFS=/sys/kernel/tracing
trace_events()
{
	[ -e "$TRACEFS/trace" ] || mount -t tracefs tracefs "$TRACEFS"
	[ "$1" = 0 ] || echo 8192 > "$TRACEFS/buffer_size_kb"
	echo "$1" > "$TRACEFS/events/mpudp/enable"
}

trace_stop()
{
	if [[ "$1" == mpudp-* ]]; then
		trace_events 0
		# (With its header: the events written and those kept.)
		cat "$TRACEFS/trace" > "${TRACE_FILE%.txt}.events"
	fi
	[ "$TRACE" = 1 ] || return 0
	kill "$TRACE_PID"
	wait "$TRACE_PID" 2>/dev/null || true
	ip netns exec "$B" nstat 2>/dev/null | awk '/Hystart|TCPTimeouts|TCPLossUndo|TCPSackRecovery |TCPDSACKRecv |TCPLostRetransmit|TCPSpuriousRTOs/ {
		print "C", $1, $2 }' >> "$TRACE_FILE"
}

# run_once SYSTEM CELL RUN: the download and the iperf3 transfer (either
# may be off), with ping through the tunnel every 200 ms (its first second
# not counted); appends the CSV row "system,cell,run,goodput,rtt,share,
# reordered,late,gaps,download,-" (goodput: iperf3's; share: each path's
# part of the bytes through $A's paths, both ways, %, ":"-joined) and
# prints the goodputs.
run_once()
{
	local sys=$1 cell=$2 run=$3 g='' d='' rtt share t0 t1 c0 c1 ping r=(- - -)

	read -r -a t0 <<< "$(path_bytes)"
	read -r -a c0 <<< "$(reorder_counters)"
	ip netns exec "$A" ping -n -i 0.2 "$DST" > "$WORK/ping" 2>&1 &
	ping=$!
	[ "$TRACE" = 0 ] || trace_start "$sys" "$cell" "$run"
	if [ "$SIZE" != 0 ]; then
		d=$(download_from "$A" "http://$DST:8080/file" "$MAX_DOWNLOAD" "${WRAP[@]}") || d=
	fi
	[ "$TRACE" = 0 ] || trace_stop "$sys"
	if [ "$TIME" != 0 ]; then
		g=$(goodput_to "$A" "$DST" "$TIME" "${WRAP[@]}") || g=
	fi
	kill "$ping"
	wait "$ping" || true
	rtt=$(sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p' "$WORK/ping" | tail -n +6 | median)
	read -r -a t1 <<< "$(path_bytes)"
	read -r -a c1 <<< "$(reorder_counters)"
	share=$(for i in "${!t1[@]}"; do echo "$(( t1[i] - t0[i] ))"; done |
		awk '{ v[NR] = $1; s += $1 } END { for (i = 1; i <= NR; i++)
			printf "%s%.0f", (i > 1 ? ":" : ""), (s ? 100 * v[i] / s : 0) }')
	if [ ${#c1[@]} = 3 ] && [ ${#c0[@]} = 3 ] && [[ "${c0[*]} ${c1[*]}" =~ ^[0-9\ ]+$ ]]; then
		r=($(( c1[0] - c0[0] )) $(( c1[1] - c0[1] )) $(( c1[2] - c0[2] )))
	fi
	# "-": failed; empty: not measured.
	d=${d:--} g=${g:--}
	[ "$SIZE" != 0 ] || d=
	[ "$TIME" != 0 ] || g=
	echo "$sys,$cell,$run,$g,${rtt:--},$share,${r[0]},${r[1]},${r[2]},$d,-" >> "$CSV"
	echo "$d/$g" | sed 's,^/,,; s,/$,,'
}

# run_pps SYSTEM RUN: 64-byte datagrams from $A to $B for BENCH_TIME
# seconds (at least 5), as fast as $A can send them; appends the CSV row
# with the thousands of datagrams $B received per second (the last column)
# and prints it.
run_pps()
{
	local sys=$1 run=$2 k port=()

	[ "$sys" != mpudp-udp-pps ] || port=(--cport 5201)
	k=$(ip netns exec "$A" iperf3 -c "$DST" -u -b 0 -l 64 -t "$(( TIME > 5 ? TIME : 5 ))" \
		"${port[@]}" -J | jq '.end.sum_received | (.packets - .lost_packets) / .seconds / 1000 |
			. * 100 | round / 100') || k=
	echo "$sys,pps,$run,,-,-,-,-,-,,${k:--}" >> "$CSV"
	echo "${k:--}"
}

# measure SYSTEM CELL PATH...: RUNS runs of SYSTEM; a row of "-" if it
# could not be set up. Keeps $B's MPUDP counters in $OUT/mpudp/.
measure()
{
	local sys=$1 cell=$2 run all=() start setup

	shift 2
	start=$(date +%s)
	if ! start_system "$sys" "$@" 2> "$WORK/setup.err"; then
		echo "$sys: setup failed: $(tail -n 3 "$WORK/setup.err")" >&2
		echo "$sys,$cell,1,-,-,-,-,-,-,-,-" >> "$CSV"
		return
	fi
	setup=$(( $(date +%s) - start ))
	for run in $(seq 1 "$RUNS"); do
		if [ "$cell" = pps ]; then
			all+=("$(run_pps "$sys" "$run")")
		else
			all+=("$(run_once "$sys" "$cell" "$run")")
		fi
	done
	if [ -n "$OUT" ] && [ "${sys#mpudp-}" != "$sys" ]; then
		mkdir -p "$OUT/mpudp"
		{ mp "$A" -s -j tunnel show; mp "$B" -s -j tunnel show; } 2>&1 |
			jq -s '{A: .[0], B: .[1]}' > "$OUT/mpudp/${cell//\//_}-$sys.json" 2>&1 || true
	fi
	if [ "$cell" = pps ]; then
		echo "$sys: ${all[*]} kpps (setup $setup s)" >&2
	else
		echo "$cell $sys: ${all[*]} Mbit/s (setup $setup s," \
			"all $(( $(date +%s) - start )) s)" >&2
	fi
}

# systems N: the systems of a cell of N paths.
systems()
{
	local s i

	for s in $SYSTEMS; do
		case $s in
		wg-path | ovpn-udp-path | tcp-path)
			for i in $(seq 1 "$1"); do echo "$s$i"; done ;;
		*) echo "$s" ;;
		esac
	done
}

n_runs=0
for cell in $CELLS; do
	n_runs=$(( n_runs + $(systems "$(tr -cd + <<< "$cell" | wc -c | awk '{ print $1 + 1 }')" | wc -l) ))
done
# Measured: a system's setup takes 8-21 s, each iperf3 run 4 s more than
# its time; a download runs at about 12 Mbit/s in the average cell, plus 2 s.
size_mb=$(( $(numfmt --from=iec "$SIZE") / 1000000 ))
per_run=$(( (TIME ? TIME + 4 : 0) + (size_mb ? size_mb * 8 / 12 + 2 : 0) ))
n_pps=$(wc -w <<< "$PPS_SYSTEMS")
echo "# $RUNS runs of a $SIZE download and ${TIME}s of iperf3 per system and cell;" \
	"$n_runs systems x cells: about $(( (n_runs * (RUNS * per_run + 14) +
	2 * (CEILING_RUNS * (TIME + 4) + 14) + n_pps * (CEILING_RUNS * 9 + 14)) / 60 )) min" >&2
[ "${BENCH_DRY:-0}" = 0 ] || exit 0
echo "# kernel $(uname -r), $(nproc) vCPUs (QEMU TCG)" >&2

# Loaded once per VM (tools/bench-guest.sh may have run before).
[ -d /sys/module/mpudp ] || load_module
# Loaded now: autoloading them in the middle of a measurement takes seconds.
modprobe -a wireguard sch_netem tun bonding

mkdir "$WORK/www"
truncate -s "$SIZE" "$WORK/www/file"
echo system,cell,run,goodput_mbps,rtt_ms,share_pct,reordered,late,gaps,download_mbps,kpps > "$CSV"
if [ "$CEILING_RUNS" != 0 ]; then
	RUNS=$CEILING_RUNS measure wg-ceiling none none
	RUNS=$CEILING_RUNS measure ovpn-ceiling none none
	for sys in $PPS_SYSTEMS; do
		RUNS=$CEILING_RUNS measure "$sys" pps none none
	done
fi
start=$(date +%s)
for cell in $CELLS; do
	IFS=+ read -r -a paths <<< "$cell"
	for sys in $(systems "${#paths[@]}"); do
		measure "$sys" "$cell" "${paths[@]}"
	done
done
echo "# cells took $(( $(date +%s) - start )) s" >&2

args=(--runs "$RUNS" --time "$TIME" --size "$SIZE" --kernel "$(uname -r)" --vcpus "$(nproc)"
	--cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')")
if [ -n "$OUT" ]; then
	python3 "$TOP/tools/bench-summary.py" "${args[@]}" --json "$OUT/compare.json" \
		"$CSV" > "$OUT/compare.md"
	cat "$OUT/compare.md"
else
	python3 "$TOP/tools/bench-summary.py" "${args[@]}" "$CSV"
fi
