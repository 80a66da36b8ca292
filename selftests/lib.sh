#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers of the MPUDP selftests, in the manner of the kernel's
# tools/testing/selftests/net/lib.sh: unique network namespaces with tracked
# cleanup, KTAP output, polling instead of sleeping, and assertions on
# mpudpctl's JSON through jq.
#
# A test script sources this file, defines one function per subtest, and
# calls run_test "description" function [args] for each, then ktap_finish.
# Every subtest runs in a subshell with errexit set: the first failing
# command fails it. A subtest returns $ksft_skip (4) to skip.

ksft_pass=0
ksft_fail=1
ksft_skip=4

SELFTESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP_DIR=$(cd "$SELFTESTS_DIR/.." && pwd)
MPUDPCTL=${MPUDPCTL:-$TOP_DIR/tools/mpudpctl/mpudpctl}
MPUDP_KO=${MPUDP_KO:-$TOP_DIR/mpudp.ko}
KERNEL_ERRORS=$TOP_DIR/tools/vm/kernel-errors

# -v: print every subtest's output, not only a failing one's.
# -d: trace every command of the subtests (set -x), and print it.
VERBOSE=${VERBOSE:-0}
TRACE=${TRACE:-0}
case "${1:-}" in
-v) VERBOSE=1 ;;
-d) VERBOSE=1; TRACE=1 ;;
esac

ktap_n=0
ktap_npass=0
ktap_nfail=0
ktap_nskip=0
NS_LIST=()

echo "TAP version 13"

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
trap cleanup_all_ns EXIT

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

kernel_error_lines()
{
	dmesg | tail -n +"$1" | grep -aF -f "$KERNEL_ERRORS"
}

# run_test DESCRIPTION FUNCTION [ARG...]
run_test()
{
	local desc=$1 out rc dmesg_start kerr

	shift
	out=$(mktemp)
	dmesg_start=$(($(dmesg | wc -l) + 1))
	(
		set -e
		# The trace goes straight to the log, never into captured stderr.
		if [ "$TRACE" = 1 ]; then
			exec {BASH_XTRACEFD}>> "$out"
			set -x
		fi
		NS_LIST=()
		trap cleanup_all_ns EXIT
		"$@"
	) > "$out" 2>&1
	rc=$?
	kerr=$(kernel_error_lines "$dmesg_start")
	if [ -n "$kerr" ]; then
		echo "kernel reported an error during the test:" >> "$out"
		echo "$kerr" >> "$out"
		rc=$ksft_fail
	fi
	ktap_n=$((ktap_n + 1))
	if [ "$rc" = "$ksft_skip" ]; then
		ktap_nskip=$((ktap_nskip + 1))
		echo "ok $ktap_n $desc # SKIP $(tail -n 1 "$out")"
	elif [ "$rc" = 0 ]; then
		ktap_npass=$((ktap_npass + 1))
		echo "ok $ktap_n $desc"
		[ "$VERBOSE" = 1 ] && sed 's/^/# /' "$out"
	else
		ktap_nfail=$((ktap_nfail + 1))
		echo "not ok $ktap_n $desc"
		sed 's/^/# /' "$out"
	fi
	rm -f "$out"
	return 0
}

ktap_finish()
{
	cleanup_all_ns
	echo "1..$ktap_n"
	echo "# Totals: pass:$ktap_npass fail:$ktap_nfail xfail:0 xpass:0 skip:$ktap_nskip error:0"
	[ "$ktap_nfail" = 0 ] || exit $ksft_fail
	[ "$ktap_npass" != 0 ] || [ "$ktap_nskip" = 0 ] || exit $ksft_skip
	exit $ksft_pass
}

# skip_unless_cmd CMD...: skips the whole script when a tool is missing.
require_cmd()
{
	local c

	for c in "$@"; do
		if ! command -v "$c" > /dev/null; then
			echo "1..0 # SKIP $c is not installed"
			exit $ksft_skip
		fi
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

# The module under test must be loaded before the scripts run (the runner
# does it); this makes sure it is.
require_module()
{
	if ! grep -q '^mpudp ' /proc/modules; then
		load_module || { echo "1..0 # SKIP cannot load $MPUDP_KO"; exit $ksft_skip; }
	fi
}

fail()
{
	echo "FAIL: $*" >&2
	return 1
}

# mpudpctl in namespace NS: mp NS ARG...
mp()
{
	local ns=$1

	shift
	"$MPUDPCTL" -n "$ns" "$@"
}

# expect_error NS "kernel or CLI message" ARG...: the command must fail with
# exactly this error message and exit status 2 (kernel) or 1 (command line).
expect_error()
{
	local ns=$1 msg=$2 err rc

	shift 2
	err=$(mp "$ns" "$@" 2>&1 >/dev/null) && rc=0 || rc=$?
	if [ "$rc" = 0 ]; then
		fail "\"mpudpctl $*\" succeeded, expected \"Error: $msg\""
		return 1
	fi
	if [ "$(head -n 1 <<< "$err")" != "Error: $msg" ]; then
		fail "\"mpudpctl $*\": got \"$err\", expected \"Error: $msg\""
		return 1
	fi
}

# jq_check JSON FILTER: FILTER must be true for JSON (jq -e).
jq_check()
{
	if ! jq -e "$2" > /dev/null <<< "$1"; then
		fail "jq '$2' is not true for: $1"
		return 1
	fi
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
}

UDP_PAIR=$SELFTESTS_DIR/udp_pair

# udp_ready NS PORT: whether a UDP socket is bound to PORT in NS.
udp_ready()
{
	ip netns exec "$1" ss -Hlun "sport = :$2" | grep -q .
}

# udp_transfer FROM TO COUNT SIZE PPS [IDLE_MS]: sends COUNT numbered
# datagrams from FROM to TO (ADDR:PORT, FROM in $A, TO in $B) and prints
# what the receiver saw (JSON, see udp_pair.c).
udp_transfer()
{
	local from=$1 to=$2 count=$3 size=$4 pps=$5 idle=${6:-3000} out pid

	out=$(mktemp)
	ip netns exec "$B" "$UDP_PAIR" recv "$to" "$count" "$idle" > "$out" &
	pid=$!
	busywait 5000 udp_ready "$B" "${to##*:}"
	ip netns exec "$A" "$UDP_PAIR" send "$from" "$to" "$count" "$size" "$pps"
	wait "$pid"
	cat "$out"
	rm -f "$out"
}

# tstat NS JQ_PATH: a value of tunnel 1, e.g. tstat $B .stats.rx_late or
# tstat $A .paths[0].stats.tx_packets.
tstat()
{
	mp "$1" -j tunnel show 1 | jq -e ".[0]$2"
}

# path_tx NS N: datagrams tunnel 1 in NS sent on its Nth path. Reads the text
# output: cheaper than jq, for polling.
path_tx()
{
	mp "$1" -s tunnel show 1 | awk -v n="$2" '$1 == "tx:" && $2 == "packets" { if (++i == n) print $3 }'
}

# path_tx_at_least NS N MIN: for busywait.
path_tx_at_least()
{
	local v

	v=$(path_tx "$1" "$2")
	[ -n "$v" ] && [ "$v" -ge "$3" ]
}
