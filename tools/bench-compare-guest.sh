#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The comparison benchmark (issue 5), run inside the VM by
# tools/bench-compare.sh: for each set of paths ("cell"), TCP goodput
# (iperf3, $A to $B) through each system below, side by side in one run,
# with ping's RTT through the tunnel during each transfer and, for MPUDP,
# the receiver's reorder counters. Writes compare.md, compare.csv (a row per
# run) and compare.json to $BENCH_OUT when set; prints the tables.
#
#   $A  wg0 10.9.0.1 / tun0 10.8.0.1 == VPN == 10.9.0.2 wg0 / 10.8.0.2 tun0  $B
#   v1 10.1.1.1 ------- path 1: RATE, RTT, loss (netem, both ways) ------- v1
#   v2 10.1.2.1 ------- path 2 -------------------------------------------- v2
#   ...                                                       (iperf3 -s on $B)
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
#   mpudp-edpf-ovpn  MPUDP (edpf) under OpenVPN UDP
# OpenVPN runs in peer-to-peer mode without TLS, with --cipher none --auth
# none as in the reference paper (so no replay window either), and --mssfix
# 1400 everywhere so that MPUDP's header fits. Before the cells, the ceilings
# of the emulated CPU: WireGuard and OpenVPN UDP over one unshaped path
# (systems wg-ceiling, ovpn-ceiling, cell "none").
#
# Environment: BENCH_CELLS (space-separated cells; a cell is its paths joined
# by "+", a path RATE/RTT[/LOSS] as tools/bench-lib.sh describes), BENCH_RUNS
# (3), BENCH_TIME (iperf3 seconds, 10), BENCH_SYSTEMS, BENCH_CEILING_RUNS
# (runs of the ceilings; BENCH_RUNS), BENCH_OUT (results),
# BENCH_DRY (1: print how long the run would take, and stop).
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$TOP/tools/bench-lib.sh"

CELLS=${BENCH_CELLS-10/20+10/80}
SYSTEMS=${BENCH_SYSTEMS:-wg-path ovpn-udp-path tcp-path ovpn-tcp bond-rr mptcp ovpn-tcp-mptcp
	mpudp-rr-wg mpudp-weighted75-wg mpudp-weighted90-wg mpudp-minrtt-wg mpudp-edpf-wg
	mpudp-edpf-ovpn}
CEILING_RUNS=${BENCH_CEILING_RUNS:-$RUNS}
OUT=${BENCH_OUT:-}
WORK=$(mktemp -d)
CSV=$WORK/compare.csv
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
	local sys=$1 n sched
	local -a paths

	shift
	paths=("$@")
	case $sys in
	*-path*) paths=("${paths[$(( ${sys##*path} - 1 ))]}") ;;
	ovpn-tcp) paths=("$1") ;;
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
	mpudp-weighted*-wg)
		sched=${sys#mpudp-weighted}
		# shellcheck disable=SC2046
		mpudp_tunnels 4 51820 weighted "$n" $(mpudp_weights "$n" "${sched%-wg}") || return 1
		wireguard_pair 4
		;;
	mpudp-*-wg)
		sched=${sys#mpudp-}
		mpudp_tunnels 4 51820 "${sched%-wg}" "$n" || return 1
		wireguard_pair 4
		;;
	mpudp-edpf-ovpn)
		mpudp_tunnels 4 1194 edpf "$n" || return 1
		ovpn_pair udp || return 1
		DST=10.8.0.2
		;;
	*) fail "unknown system $sys"; return 1 ;;
	esac
	iperf3_server "$B" "${WRAP[@]}"
}

# tx_bytes: the bytes $A's v1, v2, ... have sent, space-separated.
tx_bytes()
{
	ip netns exec "$A" sh -c 'cat /sys/class/net/v*/statistics/tx_bytes' | tr '\n' ' '
}

# rx_counters: $B's tunnel counters "reordered late gaps" (gaps: given up
# after the hold time, proven lost, or for a full buffer); nothing without
# MPUDP.
rx_counters()
{
	mp "$B" -j tunnel show 1 2>/dev/null | jq -r '.[0].stats // empty |
		"\(.rx_reordered) \(.rx_late) \(.rx_gaps_timeout + .rx_gaps_proven + .rx_gaps_overflow)"' 2>/dev/null ||
		true
}

# run_once SYSTEM CELL RUN: one transfer, with ping through the tunnel
# every 200 ms (its first second not counted); appends the CSV row
# "system,cell,run,goodput,rtt,share,reordered,late,gaps" (share: each
# path's part of the bytes $A sent, %, ":"-joined) and prints the goodput.
run_once()
{
	local sys=$1 cell=$2 run=$3 g rtt share t0 t1 c0 c1 r=(- - -)

	read -r -a t0 <<< "$(tx_bytes)"
	read -r -a c0 <<< "$(rx_counters)"
	ip netns exec "$A" ping -n -i 0.2 -w "$TIME" "$DST" > "$WORK/ping" 2>&1 &
	g=$(goodput_to "$A" "$DST" "$TIME" "${WRAP[@]}") || g=
	wait $! || true
	rtt=$(sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p' "$WORK/ping" | tail -n +6 | median)
	read -r -a t1 <<< "$(tx_bytes)"
	read -r -a c1 <<< "$(rx_counters)"
	share=$(for i in "${!t1[@]}"; do echo "$(( t1[i] - t0[i] ))"; done |
		awk '{ v[NR] = $1; s += $1 } END { for (i = 1; i <= NR; i++)
			printf "%s%.0f", (i > 1 ? ":" : ""), (s ? 100 * v[i] / s : 0) }')
	if [ ${#c1[@]} = 3 ] && [ ${#c0[@]} = 3 ] && [[ "${c0[*]} ${c1[*]}" =~ ^[0-9\ ]+$ ]]; then
		r=($(( c1[0] - c0[0] )) $(( c1[1] - c0[1] )) $(( c1[2] - c0[2] )))
	fi
	echo "$sys,$cell,$run,${g:--},${rtt:--},$share,${r[0]},${r[1]},${r[2]}" >> "$CSV"
	echo "${g:--}"
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
		echo "$sys,$cell,1,-,-,-,-,-,-" >> "$CSV"
		return
	fi
	setup=$(( $(date +%s) - start ))
	for run in $(seq 1 "$RUNS"); do
		all+=("$(run_once "$sys" "$cell" "$run")")
	done
	if [ -n "$OUT" ] && [ "${sys#mpudp-}" != "$sys" ]; then
		mkdir -p "$OUT/mpudp"
		mp "$B" -s -j tunnel show > "$OUT/mpudp/${cell//\//_}-$sys.json" 2>&1 || true
	fi
	echo "$cell $sys: ${all[*]} Mbit/s (setup $setup s, all $(( $(date +%s) - start )) s)" >&2
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
# Measured: a system's setup takes 8-21 s, each run 4 s more than iperf3's.
echo "# $RUNS runs of ${TIME}s per system and cell; $n_runs systems x cells:" \
	"about $(( (n_runs * (RUNS * (TIME + 4) + 14) + 2 * (CEILING_RUNS * (TIME + 4) + 14)) / 60 )) min" >&2
[ "${BENCH_DRY:-0}" = 0 ] || exit 0
echo "# kernel $(uname -r), $(nproc) vCPUs (QEMU TCG)" >&2

# Loaded once per VM (tools/bench-guest.sh may have run before).
[ -d /sys/module/mpudp ] || load_module
# Loaded now: autoloading them in the middle of a measurement takes seconds.
modprobe -a wireguard sch_netem tun bonding

: > "$CSV"
RUNS=$CEILING_RUNS measure wg-ceiling none none
RUNS=$CEILING_RUNS measure ovpn-ceiling none none
start=$(date +%s)
for cell in $CELLS; do
	IFS=+ read -r -a paths <<< "$cell"
	for sys in $(systems "${#paths[@]}"); do
		measure "$sys" "$cell" "${paths[@]}"
	done
done
echo "# cells took $(( $(date +%s) - start )) s" >&2

sed -i '1i system,cell,run,goodput_mbps,rtt_ms,share_pct,reordered,late,gaps' "$CSV"
args=(--runs "$RUNS" --time "$TIME" --kernel "$(uname -r)" --vcpus "$(nproc)"
	--cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')")
if [ -n "$OUT" ]; then
	cp "$CSV" "$OUT/compare.csv"
	python3 "$TOP/tools/bench-summary.py" "${args[@]}" --json "$OUT/compare.json" \
		"$CSV" > "$OUT/compare.md"
	cat "$OUT/compare.md"
else
	python3 "$TOP/tools/bench-summary.py" "${args[@]}" "$CSV"
fi
