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

# shellcheck source=selftests/topo.sh
. "$(dirname "${BASH_SOURCE[0]}")/topo.sh"
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

echo "TAP version 13"

trap cleanup_all_ns EXIT

kernel_error_lines()
{
	dmesg | tail -n +"$1" | grep -aF -f "$KERNEL_ERRORS"
}

# run_test DESCRIPTION FUNCTION [ARG...]
run_test()
{
	local desc=$1 out rc dmesg_start kerr

	shift
	# TESTS="fn ...": run only these test functions (while debugging).
	[ -z "${TESTS:-}" ] || [[ " $TESTS " == *" $1 "* ]] || return 0
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
		trap 'dump_on_failure $?; cleanup_all_ns' EXIT
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

# dump_on_failure STATUS: when a test failed, what every namespace's
# tunnels looked like at the end, for the log.
dump_on_failure()
{
	local ns

	[ "$1" = 0 ] && return 0
	for ns in "${NS_LIST[@]}"; do
		echo "--- $ns: mpudpctl -s tunnel show"
		"$MPUDPCTL" -n "$ns" -s tunnel show 2>&1 | head -n 100
	done
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
