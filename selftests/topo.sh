#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Test beds for MPUDP: namespaces with tracked cleanup, hosts joined by
# emulated paths, MPUDP and WireGuard on them. Sourced by lib.sh (the tests)
# and by the demo and the benchmark.

SELFTESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP_DIR=$(cd "$SELFTESTS_DIR/.." && pwd)
MPUDPCTL=${MPUDPCTL:-$TOP_DIR/tools/mpudpctl/mpudpctl}
MPUDP_KO=${MPUDP_KO:-$TOP_DIR/mpudp.ko}
NS_LIST=()

# setup_ns VAR...: creates a namespace per VAR with a unique name, lo up.
setup_ns()
{
	local var name

	for var in "$@"; do
		name="${var,,}-$(mktemp -u XXXXXX)"
		ip netns add "$name" || return 1
		ip -n "$name" link set lo up
		NS_LIST+=("$name")
		eval "$var=$name"
	done
}

# cleanup_ns NS...: deletes the namespaces (and forgets them).
cleanup_ns()
{
	local ns i

	for ns in "$@"; do
		# The processes left in it first (daemons, servers).
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
		ip netns del "$ns" 2>/dev/null || true
		for i in "${!NS_LIST[@]}"; do
			[ "${NS_LIST[$i]}" != "$ns" ] || unset "NS_LIST[$i]"
		done
	done
}

cleanup_all_ns()
{
	cleanup_ns "${NS_LIST[@]}"
	NS_LIST=()
}

# busywait TIMEOUT_MS CMD...: runs CMD until it succeeds or time runs out.
busywait()
{
	local timeout_ms=$1 start

	shift
	start=$(date +%s%3N)
	while true; do
		"$@" && return 0
		[ $(($(date +%s%3N) - start)) -ge "$timeout_ms" ] && return 1
		sleep 0.05
	done
}

# load_module [KO]: loads the modules mpudp.ko depends on, then it.
load_module()
{
	local ko=${1:-$MPUDP_KO} deps

	deps=$(modinfo -F depends "$ko" | tr ',' ' ')
	# shellcheck disable=SC2086
	[ -z "$deps" ] || modprobe -a $deps
	insmod "$ko"
}

# mpudpctl in namespace NS: mp NS ARG...
mp()
{
	local ns=$1

	shift
	"$MPUDPCTL" -n "$ns" "$@"
}

# Two hosts joined by N emulated paths:
#
#   $A                                   $B
#   v1 10.1.1.1  fd00:1::1 ---- path 1 ---- 10.1.1.2  fd00:1::2 v1
#   v2 10.1.2.1  fd00:2::1 ---- path 2 ---- 10.1.2.2  fd00:2::2 v2
#   ...
# setup_hosts N: creates $A and $B and the N veth pairs (offloads off, so
# that netem sees packets, not GSO super-packets).
setup_hosts()
{
	local n=$1 i ns

	setup_ns A B
	for i in $(seq 1 "$n"); do
		ip link add "v$i" netns "$A" type veth peer "v$i" netns "$B"
		for ns in "$A" "$B"; do
			ip netns exec "$ns" ethtool -K "v$i" tso off gso off gro off > /dev/null
			ip -n "$ns" link set "v$i" up
		done
		ip -n "$A" addr add "10.1.$i.1/24" dev "v$i"
		ip -n "$B" addr add "10.1.$i.2/24" dev "v$i"
		ip -n "$A" addr add "fd00:$i::1/64" dev "v$i" nodad
		ip -n "$B" addr add "fd00:$i::2/64" dev "v$i" nodad
	done
}

# netem NS DEV ARGS...: netem on the egress of DEV in NS.
netem()
{
	local ns=$1 dev=$2

	shift 2
	ip netns exec "$ns" tc qdisc replace dev "$dev" root netem "$@"
}

# delay_paths MS...: one-way delay of each path, both directions, with
# enough queue for the tests' rates.
delay_paths()
{
	local i=1 ms

	for ms in "$@"; do
		netem "$A" "v$i" delay "${ms}ms" limit 10000
		netem "$B" "v$i" delay "${ms}ms" limit 10000
		i=$((i + 1))
	done
}

# mpudp_tunnels FAMILY PORT SCHED N [WEIGHT...]: a tunnel on both hosts
# for the 4-tuple of path 1 (port PORT on both ends), with paths 1..N
# (FAMILY 4 or 6) and the weights given (default 1).
mpudp_tunnels()
{
	local fam=$1 port=$2 sched=$3 n=$4 i w ns la ra
	local -a weights

	shift 4
	weights=("$@")
	for ns in A B; do
		if [ "$ns" = A ]; then la=1; ra=2; else la=2; ra=1; fi
		if [ "$fam" = 4 ]; then
			mp "${!ns}" tunnel add local "10.1.1.$la:$port" \
				remote "10.1.1.$ra:$port" sched "$sched" > /dev/null
		else
			mp "${!ns}" tunnel add local "[fd00:1::$la]:$port" \
				remote "[fd00:1::$ra]:$port" sched "$sched" > /dev/null
		fi
		for i in $(seq 1 "$n"); do
			w=${weights[$((i - 1))]:-1}
			if [ "$fam" = 4 ]; then
				mp "${!ns}" path add tunnel 1 dev "v$i" local "10.1.$i.$la" \
					remote "10.1.$i.$ra" weight "$w" > /dev/null
			else
				mp "${!ns}" path add tunnel 1 dev "v$i" local "fd00:$i::$la" \
					remote "fd00:$i::$ra" weight "$w" > /dev/null
			fi
		done
	done
	# The path monitors of both ends have confirmed every path.
	busywait 10000 paths_are "$A" active && busywait 10000 paths_are "$B" active ||
		fail "the paths did not become active: $(mp "$A" -j tunnel show 1)"
}

# paths_are NS STATE [ID...]: the paths ID... (default: all) of tunnel 1 in
# NS are in STATE.
paths_are()
{
	local ns=$1 state=$2 ids

	shift 2
	ids=$(printf '%s,' "$@")
	"$MPUDPCTL" -n "$ns" -j tunnel show 1 | jq -e --arg s "$state" \
		"[.[0].paths[] | select(.id as \$i | [${ids%,}] | length == 0 or index([\$i]) != null)]
		 | length > 0 and all(.state == \$s)" > /dev/null
}

# monitor_listening NS: a generic netlink socket in NS joined a multicast
# group (mpudpctl monitor is ready).
monitor_listening()
{
	ip netns exec "$1" awk '$2 == 16 && $4 != "00000000" { f = 1 } END { exit !f }' \
		/proc/net/netlink
}

# tunnel_is NS STATE: tunnel 1 in NS is in STATE.
tunnel_is()
{
	[ "$("$MPUDPCTL" -n "$1" -j tunnel show 1 | jq -r '.[0].state')" = "$2" ]
}

# wireguard_pair FAMILY: wg0 on both hosts (10.9.0.1 and 10.9.0.2), each
# peer's endpoint at path 1's address on port 51820.
wireguard_pair()
{
	local ka kb pa pb ea eb

	ka=$(wg genkey)
	kb=$(wg genkey)
	pa=$(wg pubkey <<< "$ka")
	pb=$(wg pubkey <<< "$kb")
	if [ "$1" = 4 ]; then
		ea=10.1.1.1:51820
		eb=10.1.1.2:51820
	else
		ea=[fd00:1::1]:51820
		eb=[fd00:1::2]:51820
	fi
	ip -n "$A" link add wg0 type wireguard
	ip -n "$B" link add wg0 type wireguard
	ip netns exec "$A" wg set wg0 private-key <(echo "$ka") listen-port 51820 \
		peer "$pb" endpoint "$eb" allowed-ips 10.9.0.2/32
	ip netns exec "$B" wg set wg0 private-key <(echo "$kb") listen-port 51820 \
		peer "$pa" endpoint "$ea" allowed-ips 10.9.0.1/32
	ip -n "$A" addr add 10.9.0.1/24 dev wg0
	ip -n "$B" addr add 10.9.0.2/24 dev wg0
	ip -n "$A" link set wg0 up
	ip -n "$B" link set wg0 up
}
