#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tier: data
#
# The path monitor and the schedulers that use it: path states and their
# notifications, backup paths, fallback to plain UDP, the choices of edpf,
# minrtt and redundant, and the estimates in the JSON. Same topology as
# mpudp_datapath.sh: $A and $B joined by veth pairs v1, v2, v3.

. "$(dirname "$0")/lib.sh"
require_cmd jq ip tc ss
require_module
[ -x "$UDP_PAIR" ] || { echo "1..0 # SKIP $UDP_PAIR is not built"; exit $ksft_skip; }

FROM=10.1.1.1:5000
TO=10.1.1.2:5000

# blackhole NS DEV / unblackhole NS DEV: drop everything DEV sends, or stop.
blackhole()
{
	ip netns exec "$1" tc qdisc add dev "$2" clsact
	ip netns exec "$1" tc filter add dev "$2" egress matchall action drop
}

unblackhole()
{
	ip netns exec "$1" tc qdisc del dev "$2" clsact
}

# path_events FILE ID: the states path ID of tunnel 1 went through, in order.
path_events()
{
	jq -r "select(.tunnel == 1 and .path == $2) | .state" "$1" | tr '\n' ' '
}

test_states_and_events()
{
	local ev tx1 tx2

	setup_hosts 2
	delay_paths 5 10
	ev=$(mktemp)
	ip netns exec "$A" "$MPUDPCTL" -j monitor > "$ev" &
	busywait 5000 monitor_listening "$A" || fail "mpudpctl monitor did not listen"
	mpudp_tunnels 4 5000 edpf 2
	tunnel_is "$A" active
	grep -q '{"tunnel":1,"state":"active"}' "$ev"

	# Light traffic, which edpf sends on the faster path 1.
	ip netns exec "$B" "$UDP_PAIR" recv $TO 100000 30000 > /dev/null &
	busywait 5000 udp_ready "$B" 5000
	ip netns exec "$A" "$UDP_PAIR" send $FROM $TO 100000 200 200 &
	busywait 10000 path_tx_at_least "$A" 1 100

	# The busy path goes dark: it fails, the traffic moves to path 2.
	blackhole "$A" v1
	busywait 5000 paths_are "$A" failed 1 || fail "path 1 did not fail"
	paths_are "$A" active 2
	tunnel_is "$A" active
	tx1=$(path_tx "$A" 1)
	tx2=$(path_tx "$A" 2)
	busywait 10000 path_tx_at_least "$A" 2 $((tx2 + 100))
	[ "$(path_tx "$A" 1)" = "$tx1" ] || fail "the failed path still carried data"

	# It comes back through probing (hysteresis), then carries the data.
	unblackhole "$A" v1
	busywait 10000 paths_are "$A" active 1 || fail "path 1 did not come back"
	busywait 10000 path_tx_at_least "$A" 1 $((tx1 + 100))
	# Active (a stall may make it suspect for a moment), failed, then
	# probing (again, if it flapped) before it is active again.
	[[ "$(path_events "$ev" 1)" =~ ^active\ (suspect\ |active\ )*failed\ (probing\ failed\ )*probing\ active\ (suspect\ |active\ )*$ ]] ||
		fail "path 1 went through: $(path_events "$ev" 1)"

	# An idle path that goes dark is found as well.
	blackhole "$A" v2
	busywait 5000 paths_are "$A" failed 2 || fail "idle path 2 did not fail"
	jq_check "$(mp "$A" -j tunnel show 1)" '.[0].paths | all(.stats.failures >= 1)'
	busywait 2000 sh -c "grep -q '\"path\":2,\"state\":\"failed\"' $ev"
}

test_backup()
{
	local r

	setup_hosts 3
	delay_paths 5 5 5
	mpudp_tunnels 4 5000 rr 3
	mp "$A" path set tunnel 1 id 3 backup > /dev/null
	mp "$B" path set tunnel 1 id 3 backup > /dev/null
	r=$(udp_transfer $FROM $TO 300 200 500)
	jq_check "$r" '.unique == 300 and .bad == 0'
	[ "$(path_tx "$A" 3)" = 0 ] || fail "the backup path carried data"

	# Both primaries dark: the backup carries everything.
	blackhole "$A" v1
	blackhole "$A" v2
	busywait 5000 paths_are "$A" failed 1 2 || fail "the paths did not fail"
	paths_are "$A" active 3
	tunnel_is "$A" active
	r=$(udp_transfer $FROM $TO 300 200 500)
	jq_check "$r" '.unique == 300 and .bad == 0'
	[ "$(path_tx "$A" 3)" = 300 ]

	# The primaries are back: the backup is idle again.
	unblackhole "$A" v1
	unblackhole "$A" v2
	busywait 15000 paths_are "$A" active 1 2 || fail "the paths did not come back"
	r=$(udp_transfer $FROM $TO 300 200 500)
	jq_check "$r" '.unique == 300 and .bad == 0'
	[ "$(path_tx "$A" 3)" = 300 ]
}

# The peer stalls: for a moment nothing comes from it on any path, as when
# its CPU or ours is too busy to run timers and receive (seen on emulated
# CPUs). Every path looks silent alike: they may turn suspect, but none
# fails, and the data keeps flowing.
# suspect_both FILE: waits (up to 5 s, with bash builtins only, so as not
# to prolong what it waits for) until the events in FILE have paths 1 and 2
# suspect.
suspect_both()
{
	local z e end=$((${EPOCHREALTIME/./} + 5000000))

	exec {z}<> <(:)
	while [ "${EPOCHREALTIME/./}" -lt "$end" ]; do
		read -r -d '' e < "$1" || true
		[[ $e == *'"path":1,"state":"suspect"'* &&
		   $e == *'"path":2,"state":"suspect"'* ]] && return 0
		read -r -t 0.005 -u "$z" _ || true
	done
	return 1
}

# The peer stalls: for a moment nothing comes from it on any path, as when
# its CPU or ours is too busy to run timers and receive (seen on emulated
# CPUs). Every path looks silent alike: they turn suspect, but none fails
# before the peer counts as lost, and the data keeps flowing.
test_peer_stall()
{
	local ev out pid

	setup_hosts 2
	delay_paths 5 10
	mpudp_tunnels 4 5000 edpf 2
	ev=$(mktemp)
	out=$(mktemp)
	# One filter block behind both of B's paths, to drop all B sends.
	ip netns exec "$B" tc qdisc add dev v1 egress_block 7 clsact
	ip netns exec "$B" tc qdisc add dev v2 egress_block 7 clsact
	coproc TC { ip netns exec "$B" tc -force -batch -; }
	ip netns exec "$A" "$MPUDPCTL" -j monitor > "$ev" &
	busywait 5000 monitor_listening "$A" || fail "mpudpctl monitor did not listen"
	ip netns exec "$B" "$UDP_PAIR" recv $TO 2000 3000 > "$out" &
	pid=$!
	busywait 5000 udp_ready "$B" 5000
	ip netns exec "$A" "$UDP_PAIR" send $FROM $TO 2000 200 200 &
	busywait 10000 path_tx_at_least "$A" 1 100

	# Silent until both paths are suspect (4 x the suspect threshold of
	# 35 ms and jitter, which used to fail them), and for as long as tc
	# takes to remove the filter again: it runs already, so no process
	# start adds to that.
	echo "filter add block 7 prio 1 matchall action drop" >&"${TC[1]}"
	suspect_both "$ev" || fail "the paths did not turn suspect: $(cat "$ev")"
	echo "filter del block 7 prio 1" >&"${TC[1]}"
	eval "exec ${TC[1]}>&-"
	wait "$TC_PID" || true
	busywait 5000 paths_are "$A" active || fail "the paths did not come back"
	wait "$pid"
	jq_check "$(cat "$out")" '.unique == 2000 and .bad == 0'
	! grep -q '"state":"failed"' "$ev" || fail "a path failed: $(cat "$ev")"
	jq_check "$(mp "$A" -j tunnel show 1)" '.[0].paths | all(.stats.failures == 0)'
	rm -f "$ev" "$out"
}

test_fallback()
{
	local r

	# Only A has MPUDP: the peer never answers, the tunnel stays probing
	# and the VPN's datagrams go plain on the primary 4-tuple.
	setup_hosts 2
	mp "$A" tunnel add local 10.1.1.1:5000 remote 10.1.1.2:5000 > /dev/null
	mp "$A" path add tunnel 1 dev v1 local 10.1.1.1 remote 10.1.1.2 > /dev/null
	mp "$A" path add tunnel 1 dev v2 local 10.1.2.1 remote 10.1.2.2 > /dev/null
	r=$(udp_transfer $FROM $TO 300 200 500)
	jq_check "$r" '.unique == 300 and .bad == 0'
	[ "$(tstat "$A" .stats.tx_plain)" = 300 ]
	tunnel_is "$A" probing
	paths_are "$A" probing
	jq_check "$(mp "$A" -j tunnel show 1)" '.[0].paths | map(.stats.tx_probes > 0) == [true, true]'
}

# light_traffic SCHED: paths of RTT 10 and 60 ms; 300 datagrams at 100/s
# arrive in order, and at least 95% of them went on the 10 ms path.
light_traffic()
{
	local r tx1

	setup_hosts 2
	delay_paths 5 30
	mpudp_tunnels 4 5000 "$1" 2
	r=$(udp_transfer $FROM $TO 300 200 100)
	in_order "$r" 300
	tx1=$(path_tx "$A" 1)
	[ "$tx1" -ge 285 ] || fail "the fast path carried $tx1 of 300"
}

test_edpf_choice()
{
	local r tx1 tx2

	light_traffic edpf
	tx1=$(path_tx "$A" 1)
	tx2=$(path_tx "$A" 2)

	# Both paths at 10 Mbit/s, offered 19 Mbit/s: both carry a share.
	netem "$A" v1 delay 5ms rate 10mbit limit 10000
	netem "$A" v2 delay 30ms rate 10mbit limit 10000
	r=$(udp_transfer $FROM $TO 6000 1200 2000)
	jq_check "$r" '.unique >= 5900 and .bad == 0'
	tx1=$(( $(path_tx "$A" 1) - tx1 ))
	tx2=$(( $(path_tx "$A" 2) - tx2 ))
	echo "saturated: path 1 $tx1, path 2 $tx2"
	[ "$tx2" -ge 600 ] && [ "$tx1" -ge 1800 ] ||
		fail "path 1 carried $tx1, path 2 $tx2 of 6000"

	# The estimates are in the JSON and make sense for these paths.
	mp "$A" -s tunnel show
	jq_check "$(mp "$A" -j tunnel show 1)" '.[0].paths as $p |
		($p[0].stats.tx_delay_us < 5000) and
		($p[1].stats.tx_delay_us > 15000 and $p[1].stats.tx_delay_us < 40000) and
		($p[1].stats.min_rtt_us > $p[0].stats.min_rtt_us) and
		($p | all(.stats | .srtt_us > 0 and .min_rtt_us > 0 and has("rttvar_us") and
			.tx_rate_bps > 0 and .tx_loss_ppm < 100000 and
			.tx_silence_us < 1000000 and .tx_probes > 0 and .rx_probes > 0 and
			(.tx_standing_us | type == "number") and
			.tx_standing_us <= .tx_queue_us and
			has("failures"))) and
		($p[0].stats.tx_rate_bps > 1000000)'
}

test_minrtt_choice()
{
	light_traffic minrtt
}

test_redundant()
{
	local r

	setup_hosts 2
	delay_paths 5 15
	mpudp_tunnels 4 5000 redundant 2
	r=$(udp_transfer $FROM $TO 500 200 500)
	in_order "$r" 500
	[ "$(path_tx "$A" 1)" = 500 ]
	[ "$(path_tx "$A" 2)" = 500 ]
	busywait 3000 sh -c "[ \$('$MPUDPCTL' -n $B -j tunnel show 1 | jq .[0].stats.rx_duplicates) = 500 ]" ||
		fail "duplicates: $(tstat "$B" .stats.rx_duplicates)"
}

# The trace events (mpudp/trace.h): one mpudp_send per datagram, on the
# path that counted it, one per parity datagram, and the peer's reports on
# each path.
test_trace_events()
{
	local tracefs=/sys/kernel/tracing r ns ev tx1 tx2 fec

	if [ ! -e $tracefs/trace ] && ! mount -t tracefs tracefs $tracefs; then
		echo "tracefs cannot be mounted"
		return $ksft_skip
	fi
	if [ ! -d $tracefs/events ]; then
		echo "the kernel has no event tracing"
		return $ksft_skip
	fi
	[ -d $tracefs/events/mpudp ] || { fail "no mpudp events in $tracefs/events"; return; }
	setup_hosts 2
	delay_paths 5 30
	mpudp_tunnels 4 5000 rr 2
	mp "$A" tunnel set 1 fec 4 > /dev/null
	echo > $tracefs/trace
	echo 1 > $tracefs/events/mpudp/enable
	r=$(udp_transfer $FROM $TO 300 200 500) || r=
	echo 0 > $tracefs/events/mpudp/enable
	in_order "$r" 300
	ns=$(stat -L -c %i "/run/netns/$A")
	ev=$(mktemp)
	grep " netns=$ns tunnel=1 " $tracefs/trace > "$ev" || true
	echo > $tracefs/trace
	tx1=$(path_tx "$A" 1)
	tx2=$(path_tx "$A" 2)
	fec=$(tstat "$A" .stats.tx_fec)
	echo "paths carried $tx1 and $tx2, $fec parity"
	[ "$tx1" -gt 0 ] && [ "$tx2" -gt 0 ] && [ "$fec" -gt 0 ] ||
		fail "not a test of both paths and parity"
	[ "$(grep -c 'mpudp_send: .* path=1 data ' "$ev")" = "$tx1" ] &&
		[ "$(grep -c 'mpudp_send: .* path=2 data ' "$ev")" = "$tx2" ] &&
		[ "$(grep -c 'mpudp_send: .* data .* len=200 ' "$ev")" = 300 ] &&
		[ "$(grep -c 'mpudp_send: .* parity .* len=200 ' "$ev")" = "$fec" ] ||
		fail "events: $(grep -c mpudp_send "$ev") sent"
	# What edpf tries above the monitor's rate: none under rr.
	[ "$(grep -c 'mpudp_send: .* delay=[0-9]* boost=0$' "$ev")" = $((tx1 + tx2 + fec)) ] ||
		fail "boost: $(grep -m1 mpudp_send "$ev")"
	# The sequence numbers of the datagrams, each once.
	[ "$(sed -n 's/.*mpudp_send: .* data seq=\([0-9]*\) .*/\1/p' "$ev" | sort -u | wc -l)" = 300 ] ||
		fail "not 300 distinct sequence numbers"
	grep -q 'mpudp_report: .* path=1 .* rate=[1-9]' "$ev" &&
		grep -q 'mpudp_report: .* path=2 .* rate=[1-9]' "$ev" ||
		fail "no reports on both paths: $(grep -c mpudp_report "$ev")"
	rm -f "$ev"
}

# in_order RESULT COUNT: as in mpudp_datapath.sh, for the tunnel of $B.
in_order()
{
	local late

	late=$(tstat "$B" .stats.rx_late)
	jq_check "$1" ".unique == $2 and .duplicates == 0 and .bad == 0 and
		       .out_of_order == $late and $late <= $2 / 100"
}

run_test "path states: a dark path fails, comes back after probing; events" test_states_and_events
run_test "a backup path carries data only while the others are failed" test_backup
run_test "a stalled peer: every path silent at once fails none" test_peer_stall
run_test "a peer without MPUDP: the tunnel stays probing and sends plain" test_fallback
run_test "edpf: light traffic on the fast path, both under load; estimates" test_edpf_choice
run_test "minrtt: light traffic on the lowest-RTT path" test_minrtt_choice
run_test "redundant: every datagram on both paths, duplicates dropped" test_redundant
run_test "trace events: each datagram's path, the peer's reports" test_trace_events
ktap_finish
