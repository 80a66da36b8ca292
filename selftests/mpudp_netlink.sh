#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tier: control
#
# The control plane through mpudpctl and raw generic netlink: creating,
# showing, changing and deleting tunnels and paths, and every kind of bad
# input, each of which must fail with its own message and change nothing.
#
#   ns (one namespace per subtest)
#   +----------------------------------+
#   |  dummy0 10.0.1.1/24, 2001:db8:1::1 |   tunnels and paths only: no
#   |  dummy1 10.0.2.1/24               |   traffic flows in these tests
#   +----------------------------------+

. "$(dirname "$0")/lib.sh"
require_cmd jq ip /usr/bin/python3
require_module

NLRAW=$SELFTESTS_DIR/nlraw.py

new_ns()
{
	setup_ns NS
	ip -n "$NS" link add dummy0 type dummy
	ip -n "$NS" link add dummy1 type dummy
	ip -n "$NS" addr add 10.0.1.1/24 dev dummy0
	ip -n "$NS" addr add 2001:db8:1::1/64 dev dummy0 nodad
	ip -n "$NS" addr add 10.0.2.1/24 dev dummy1
	ip -n "$NS" link set dummy0 up
	ip -n "$NS" link set dummy1 up
}

# snapshot: the configuration of NS, without what changes by itself (the
# counters and estimates, the states, the probe interval).
snapshot()
{
	mp "$NS" -j tunnel show |
		jq -c 'map(del(.stats, .state, .probe_interval_us) |
			   .paths |= map(del(.stats, .state)))'
}

# unchanged BEFORE: the configuration must still be BEFORE.
unchanged()
{
	local now

	now=$(snapshot)
	[ "$now" = "$1" ] || fail "configuration changed: was $1, is $now"
}

# raw EXPECTED COMMAND [ATTRS] [OPTIONS]: adds a request to the batch that
# raw_run sends (nlraw.py --batch) and checks.
raw()
{
	RAW_WANT+=("$1")
	printf '%s\t%s\t%s\n' "$2" "${3:-}" "${*:4}" >> "$RAW_BATCH"
}

raw_run()
{
	local i=0 line req

	while IFS= read -r line; do
		req=$(sed -n "$((i + 1))p" "$RAW_BATCH" | tr '\t' ' ')
		[ "$line" = "${RAW_WANT[$i]}" ] ||
			fail "nlraw $req: got \"$line\", expected \"${RAW_WANT[$i]}\""
		i=$((i + 1))
	done < <(ip netns exec "$NS" "$NLRAW" --batch < "$RAW_BATCH")
	[ "$i" = "${#RAW_WANT[@]}" ] || fail "nlraw answered $i of ${#RAW_WANT[@]} requests"
}

test_sched_list()
{
	local j

	new_ns
	j=$(mp "$NS" -j sched show)
	jq_check "$j" 'map(.name) | (["edpf", "minrtt", "redundant", "rr", "weighted"] - .) == []'
	mp "$NS" sched show | grep -qx rr
	mp "$NS" sched show | grep -qx edpf
}

test_tunnel_v4()
{
	local j id

	new_ns
	j=$(mp "$NS" -j tunnel add local 10.0.1.1:51820 remote 192.0.2.1:51821)
	jq_check "$j" '.id >= 1 and .local == "10.0.1.1" and .local_port == 51820 and
		       .remote == "192.0.2.1" and .remote_port == 51821 and
		       .sched == "edpf" and .state == "probing" and .paths == []'
	id=$(jq .id <<< "$j")
	j=$(mp "$NS" -j tunnel show "$id")
	jq_check "$j" "length == 1 and .[0].id == $id and .[0].remote == \"192.0.2.1\""
	[ "$(mp "$NS" tunnel show)" = \
	  "tunnel $id local 10.0.1.1:51820 remote 192.0.2.1:51821 sched edpf max-hold 100ms state probing" ]
	mp "$NS" tunnel del "$id"
	j=$(mp "$NS" -j tunnel show)
	jq_check "$j" 'length == 0'
}

test_tunnel_v6()
{
	local j id

	new_ns
	j=$(mp "$NS" -j tunnel add local '[2001:db8:1::1]:1194' \
		remote '[2001:db8:2::1]:1195' sched weighted)
	jq_check "$j" '.local == "2001:db8:1::1" and .local_port == 1194 and
		       .remote == "2001:db8:2::1" and .remote_port == 1195 and
		       .sched == "weighted"'
	id=$(jq .id <<< "$j")
	mp "$NS" tunnel show "$id" | grep -qF "local [2001:db8:1::1]:1194 remote [2001:db8:2::1]:1195"
	mp "$NS" tunnel del id "$id"
}

test_tunnel_set()
{
	local j

	new_ns
	mp "$NS" tunnel add local 10.0.1.1:51820 remote 192.0.2.1:51820 > /dev/null
	j=$(mp "$NS" -j tunnel set 1 sched weighted)
	jq_check "$j" '.id == 1 and .sched == "weighted"'
	j=$(mp "$NS" -j tunnel show 1)
	jq_check "$j" '.[0].sched == "weighted" and .[0].max_hold_us == 100000'
	j=$(mp "$NS" -j tunnel set 1 max-hold 30ms)
	jq_check "$j" '.sched == "weighted" and .max_hold_us == 30000'
	j=$(mp "$NS" -j tunnel set 1 max-hold 250us sched rr)
	jq_check "$j" '.sched == "rr" and .max_hold_us == 250'
	j=$(mp "$NS" -j tunnel add local 10.0.1.1:2 remote 192.0.2.1:2 max-hold 0)
	jq_check "$j" '.max_hold_us == 0 and .fec == 0'
	j=$(mp "$NS" -j tunnel set 2 fec 8)
	jq_check "$j" '.fec == 8 and .max_hold_us == 0'
	[ "$(mp "$NS" tunnel show 2 | grep -c ' fec 8')" = 1 ] || fail "no fec in the text"
	j=$(mp "$NS" -j tunnel set 2 fec off)
	jq_check "$j" '.fec == 0'
	j=$(mp "$NS" -j tunnel set 2 fec 1)
	jq_check "$j" '.fec == 1'
	j=$(mp "$NS" -j tunnel set 2 fec 0)
	jq_check "$j" '.fec == 0 and .fec_auto == false'
	j=$(mp "$NS" -j tunnel set 2 fec auto)
	jq_check "$j" '.fec == 0 and .fec_auto and .fec_now == 0'
	[ "$(mp "$NS" tunnel show 2 | grep -c ' fec auto fec-now 0')" = 1 ] || fail "no fec auto in the text"
	j=$(mp "$NS" -j tunnel add local 10.0.1.1:3 remote 192.0.2.1:3 fec 32)
	jq_check "$j" '.fec == 32 and .stats.tx_fec == 0 and .stats.rx_fec_recovered == 0'
}

test_ids_not_reused()
{
	local a b

	new_ns
	a=$(mp "$NS" -j tunnel add local 10.0.1.1:1 remote 192.0.2.1:1 | jq .id)
	mp "$NS" tunnel del "$a"
	b=$(mp "$NS" -j tunnel add local 10.0.1.1:1 remote 192.0.2.1:1 | jq .id)
	[ "$b" -gt "$a" ] || fail "tunnel id $a was given again"
}

test_paths()
{
	local j ifindex

	new_ns
	mp "$NS" tunnel add local 10.0.1.1:51820 remote 192.0.2.1:51820 > /dev/null
	j=$(mp "$NS" -j path add tunnel 1 remote 192.0.2.11 local 10.0.1.1 weight 75)
	jq_check "$j" '.tunnel == 1 and .id == 1 and .local == "10.0.1.1" and
		       .local_port == 51820 and .remote == "192.0.2.11" and
		       .remote_port == 51820 and .weight == 75 and .backup == false and
		       (has("dev") | not)'
	j=$(mp "$NS" -j path add tunnel 1 remote 192.0.2.12:4000 local 10.0.2.1:4001 \
		dev dummy1 weight 25 backup)
	ifindex=$(ip -n "$NS" -j link show dummy1 | jq '.[0].ifindex')
	jq_check "$j" ".id == 2 and .dev == \"dummy1\" and .ifindex == $ifindex and
		       .remote_port == 4000 and .local_port == 4001 and
		       .weight == 25 and .backup == true"
	j=$(mp "$NS" -j path add tunnel 1 remote 192.0.2.13 dev dummy0)
	jq_check "$j" '.id == 3 and .weight == 1 and (has("local") | not)'

	j=$(mp "$NS" -j tunnel show 1)
	jq_check "$j" '.[0].paths | map(.id) == [1, 2, 3]'
	[ "$(mp "$NS" path show tunnel 1 id 2)" = \
	  "tunnel 1 path 2 dev dummy1 local 10.0.2.1:4001 remote 192.0.2.12:4000 weight 25 backup state probing" ]

	j=$(mp "$NS" -j path set tunnel 1 id 2 weight 5 nobackup)
	jq_check "$j" '.weight == 5 and .backup == false and .remote_port == 4000'
	j=$(mp "$NS" -j path set tunnel 1 id 2 backup)
	jq_check "$j" '.weight == 5 and .backup == true'

	mp "$NS" path del tunnel 1 id 1
	j=$(mp "$NS" -j path show tunnel 1)
	jq_check "$j" 'map(.id) == [2, 3]'
	# The lowest free id is given to the next path.
	j=$(mp "$NS" -j path add tunnel 1 remote 192.0.2.14 dev dummy0)
	jq_check "$j" '.id == 1'
	j=$(mp "$NS" -j path show tunnel 1)
	jq_check "$j" 'map(.id) == [1, 2, 3]'
}

test_path_rate_cap()
{
	local j out

	new_ns
	mp "$NS" tunnel add local 10.0.1.1:51820 remote 192.0.2.1:51820 > /dev/null
	j=$(mp "$NS" -j path add tunnel 1 remote 192.0.2.11 dev dummy0 rate-cap 10mbit)
	jq_check "$j" '.id == 1 and .rate_cap_bps == 10000000 and .weight == 1'
	[ "$(mp "$NS" path show tunnel 1 id 1)" = \
	  "tunnel 1 path 1 dev dummy0 remote 192.0.2.11:51820 weight 1 rate-cap 10Mbit state probing" ]
	j=$(mp "$NS" -j path add tunnel 1 remote 192.0.2.12 dev dummy0 weight 2 backup)
	jq_check "$j" '.id == 2 and .rate_cap_bps == 0'
	[ "$(mp "$NS" path show tunnel 1 id 2)" = \
	  "tunnel 1 path 2 dev dummy0 remote 192.0.2.12:51820 weight 2 backup state probing" ]

	j=$(mp "$NS" -j path set tunnel 1 id 2 rate-cap 1.5mbit)
	jq_check "$j" '.rate_cap_bps == 1500000 and .weight == 2 and .backup == true'
	# Changing the weight or the flags leaves the cap alone.
	j=$(mp "$NS" -j path set tunnel 1 id 2 weight 3 nobackup)
	jq_check "$j" '.rate_cap_bps == 1500000 and .weight == 3 and .backup == false'
	j=$(mp "$NS" -j tunnel show 1)
	jq_check "$j" '.[0].paths | map(.rate_cap_bps) == [10000000, 1500000]'
	mp "$NS" tunnel show 1 | grep -qF "path 2 dev dummy0 remote 192.0.2.12:51820 weight 3 rate-cap 1500Kbit state "
	j=$(mp "$NS" -j path show tunnel 1)
	jq_check "$j" 'map(.rate_cap_bps) == [10000000, 1500000]'

	# "none" and 0 remove a cap; a path without one shows none in text.
	j=$(mp "$NS" -j path set tunnel 1 id 1 rate-cap none)
	jq_check "$j" '.rate_cap_bps == 0 and .weight == 1'
	j=$(mp "$NS" -j path set tunnel 1 id 2 rate-cap 0)
	jq_check "$j" '.rate_cap_bps == 0 and .weight == 3'
	j=$(mp "$NS" -j tunnel show 1)
	jq_check "$j" '.[0].paths | map(.rate_cap_bps) == [0, 0]'
	out=$(mp "$NS" tunnel show 1)
	[[ $out != *rate-cap* ]] || fail "paths without a cap show one: $out"

	# The smallest cap and the largest (checked in text: jq 1.6 rounds it).
	j=$(mp "$NS" -j path set tunnel 1 id 1 rate-cap 8000)
	jq_check "$j" '.rate_cap_bps == 8000'
	mp "$NS" path show tunnel 1 id 1 |
		grep -qF "tunnel 1 path 1 dev dummy0 remote 192.0.2.11:51820 weight 1 rate-cap 8Kbit state "
	mp "$NS" path set tunnel 1 id 1 rate-cap 18446744073709551615 > /dev/null
	mp "$NS" path show tunnel 1 id 1 | grep -qF " weight 1 rate-cap 18446744073709551615bit state "
}

test_path_dump_all()
{
	local j

	new_ns
	mp "$NS" tunnel add local 10.0.1.1:1 remote 192.0.2.1:1 > /dev/null
	mp "$NS" tunnel add local 10.0.1.1:2 remote 192.0.2.1:2 > /dev/null
	mp "$NS" path add tunnel 1 remote 192.0.2.11 dev dummy0 > /dev/null
	mp "$NS" path add tunnel 2 remote 192.0.2.21 dev dummy0 > /dev/null
	mp "$NS" path add tunnel 2 remote 192.0.2.22 dev dummy0 > /dev/null
	j=$(mp "$NS" -j path show)
	jq_check "$j" 'map([.tunnel, .id]) == [[1, 1], [2, 1], [2, 2]]'
	j=$(mp "$NS" -j path show tunnel 2)
	jq_check "$j" 'map(.remote) == ["192.0.2.21", "192.0.2.22"]'
	mp "$NS" tunnel del 2
	j=$(mp "$NS" -j path show)
	jq_check "$j" 'length == 1'
}

test_max_paths()
{
	local i

	new_ns
	mp "$NS" tunnel add local 10.0.1.1:1 remote 192.0.2.1:1 > /dev/null
	for i in $(seq 1 16); do
		echo "path add tunnel 1 remote 192.0.2.$i dev dummy0"
	done | mp "$NS" -b - > /dev/null
	jq_check "$(mp "$NS" -j tunnel show 1)" '.[0].paths | length == 16'
	before=$(snapshot)
	expect_error "$NS" "A tunnel has at most 16 paths" \
		path add tunnel 1 remote 192.0.2.99 dev dummy0
	unchanged "$before"
}

test_bad_tunnels()
{
	local before

	new_ns
	mp "$NS" tunnel add local 10.0.1.1:51820 remote 192.0.2.1:51820 > /dev/null
	before=$(snapshot)
	expect_error "$NS" "A tunnel with this local and remote address and port exists" \
		tunnel add local 10.0.1.1:51820 remote 192.0.2.1:51820 sched weighted
	expect_error "$NS" "Local and remote addresses must be of the same family" \
		tunnel add local 10.0.1.1:51820 remote '[2001:db8::2]:51820'
	expect_error "$NS" "Remote address must be a unicast address" \
		tunnel add local 10.0.1.1:51820 remote 224.0.0.1:51820
	expect_error "$NS" "Remote address must be a unicast address" \
		tunnel add local 10.0.1.1:51820 remote 255.255.255.255:51820
	expect_error "$NS" "Remote address must be a unicast address" \
		tunnel add local 10.0.1.1:51820 remote 0.0.0.0:51820
	expect_error "$NS" "Remote address must be a unicast address" \
		tunnel add local '[2001:db8::1]:1' remote '[ff02::1]:1'
	expect_error "$NS" "Remote address must be a unicast address" \
		tunnel add local '[2001:db8::1]:1' remote '[::]:1'
	expect_error "$NS" "Local address must be a unicast address" \
		tunnel add local 239.1.1.1:1 remote 192.0.2.1:1
	expect_error "$NS" "Missing remote address" tunnel add local 10.0.1.1:51820
	expect_error "$NS" "Missing local address" tunnel add remote 192.0.2.9:1
	expect_error "$NS" "Unknown scheduler" \
		tunnel add local 10.0.1.1:1 remote 192.0.2.1:1 sched nosuch
	expect_error "$NS" "Unknown scheduler" \
		tunnel add local 10.0.1.1:1 remote 192.0.2.1:1 sched a-scheduler-name-far-too-long
	expect_error "$NS" "Unknown tunnel id" tunnel del 999
	expect_error "$NS" "Unknown tunnel id" tunnel show 999
	expect_error "$NS" "Unknown tunnel id" tunnel set 999 sched rr
	expect_error "$NS" "Unknown scheduler" tunnel set 1 sched nosuch
	expect_error "$NS" "Nothing to change: give a scheduler, a hold time or FEC" tunnel set 1
	expect_error "$NS" "The hold time is at most 1 s" tunnel set 1 max-hold 1001ms
	expect_error "$NS" "The hold time is at most 1 s" \
		tunnel add local 10.0.1.1:9 remote 192.0.2.1:9 max-hold 2s
	unchanged "$before"
}

test_bad_paths()
{
	local before

	new_ns
	mp "$NS" tunnel add local 10.0.1.1:51820 remote 192.0.2.1:51820 > /dev/null
	mp "$NS" tunnel add local '[2001:db8:1::1]:1' remote '[2001:db8:2::1]:1' > /dev/null
	mp "$NS" path add tunnel 1 remote 192.0.2.11 dev dummy0 > /dev/null
	before=$(snapshot)
	expect_error "$NS" "Unknown tunnel id" path add tunnel 999 remote 192.0.2.12 dev dummy0
	expect_error "$NS" "Missing tunnel id" path add remote 192.0.2.12 dev dummy0
	expect_error "$NS" "Missing remote address" path add tunnel 1 dev dummy0
	expect_error "$NS" "Path weight must be between 1 and 1000" \
		path add tunnel 1 remote 192.0.2.12 dev dummy0 weight 0
	expect_error "$NS" "Path weight must be between 1 and 1000" \
		path add tunnel 1 remote 192.0.2.12 dev dummy0 weight 1001
	expect_error "$NS" "Path address family differs from the tunnel's" \
		path add tunnel 1 remote 2001:db8::12 dev dummy0
	expect_error "$NS" "Path address family differs from the tunnel's" \
		path add tunnel 2 remote 192.0.2.12 dev dummy0
	expect_error "$NS" "Local and remote addresses must be of the same family" \
		path add tunnel 1 remote 192.0.2.12 local 2001:db8:1::1
	expect_error "$NS" "A path needs a local address, a device or both" \
		path add tunnel 1 remote 192.0.2.12
	expect_error "$NS" "A path with these addresses and ports exists" \
		path add tunnel 1 remote 192.0.2.11 dev dummy0
	expect_error "$NS" "A path with these addresses and ports exists" \
		path add tunnel 1 remote 192.0.2.11 dev dummy1
	expect_error "$NS" "Remote address must be a unicast address" \
		path add tunnel 1 remote 224.0.0.9 dev dummy0
	expect_error "$NS" "Local address must be a unicast address" \
		path add tunnel 1 remote 192.0.2.12 local 255.255.255.255
	expect_error "$NS" "Unknown path id" path del tunnel 1 id 9
	expect_error "$NS" "Unknown tunnel id" path del tunnel 9 id 1
	expect_error "$NS" "Missing path id" path del tunnel 1
	expect_error "$NS" "Unknown path id" path set tunnel 1 id 9 weight 2
	expect_error "$NS" "Nothing to change: give a weight, flags or a rate cap" path set tunnel 1 id 1
	expect_error "$NS" "Path weight must be between 1 and 1000" \
		path set tunnel 1 id 1 weight 5000
	expect_error "$NS" "Rate cap must be 0 (none) or at least 8000 bit/s" \
		path add tunnel 1 remote 192.0.2.12 dev dummy0 rate-cap 7999
	expect_error "$NS" "Rate cap must be 0 (none) or at least 8000 bit/s" \
		path set tunnel 1 id 1 rate-cap 1kbit
	expect_error "$NS" "Unknown path id" path show tunnel 1 id 7
	expect_error "$NS" "Unknown tunnel id" path show tunnel 77
	unchanged "$before"
}

test_bad_command_lines()
{
	local rc

	new_ns
	expect_error "$NS" 'invalid local endpoint "10.0.1.1": port required: ADDR:PORT' \
		tunnel add local 10.0.1.1 remote 192.0.2.1:1
	expect_error "$NS" 'invalid remote endpoint "192.0.2.1:0": port must be a number from 1 to 65535' \
		tunnel add local 10.0.1.1:1 remote 192.0.2.1:0
	expect_error "$NS" 'invalid remote endpoint "192.0.2.1:65536": port must be a number from 1 to 65535' \
		tunnel add local 10.0.1.1:1 remote 192.0.2.1:65536
	expect_error "$NS" 'invalid local endpoint "10.0.1.300:1": invalid address' \
		tunnel add local 10.0.1.300:1 remote 192.0.2.1:1
	expect_error "$NS" "invalid local endpoint \"[2001:db8::1:1\": missing ']'" \
		tunnel add local '[2001:db8::1:1' remote 192.0.2.1:1
	expect_error "$NS" '"remote" needs a value' tunnel add local 10.0.1.1:1 remote
	expect_error "$NS" 'unknown argument "loca", try "mpudpctl tunnel help"' \
		tunnel add loca 10.0.1.1:1 remote 192.0.2.1:1
	expect_error "$NS" 'unknown command "ad", try "mpudpctl tunnel help"' tunnel ad
	expect_error "$NS" 'unknown object "tunnels", try "mpudpctl help"' tunnels show
	expect_error "$NS" 'invalid tunnel id "x": not a decimal number' tunnel del x
	expect_error "$NS" 'invalid max-hold "5x": not a duration (NUMBER[us|ms|s])' \
		tunnel add local 10.0.1.1:1 remote 192.0.2.1:1 max-hold 5x
	expect_error "$NS" 'invalid tunnel id "0": out of range' tunnel del 0
	expect_error "$NS" 'invalid fec "33": out of range' \
		tunnel add local 10.0.1.1:1 remote 192.0.2.1:1 fec 33
	expect_error "$NS" 'invalid fec "x": not a decimal number' \
		tunnel add local 10.0.1.1:1 remote 192.0.2.1:1 fec x
	expect_error "$NS" '"fec" needs a value' tunnel add local 10.0.1.1:1 remote 192.0.2.1:1 fec
	expect_error "$NS" 'invalid weight "-1": not a decimal number' \
		path add tunnel 1 remote 192.0.2.1 dev dummy0 weight -1
	expect_error "$NS" 'invalid device "nosuch0": no such device' \
		path add tunnel 1 remote 192.0.2.1 dev nosuch0
	expect_error "$NS" 'unknown argument "weight", try "mpudpctl path help"' \
		path del tunnel 1 id 1 weight 3
	expect_error "$NS" 'invalid rate-cap "10mbps": not a rate (NUMBER[bit|kbit|mbit|gbit|tbit])' \
		path add tunnel 1 remote 192.0.2.1 dev dummy0 rate-cap 10mbps
	expect_error "$NS" 'invalid rate-cap "1.5": not a whole number of bit/s' \
		path set tunnel 1 id 1 rate-cap 1.5
	expect_error "$NS" 'invalid rate-cap "18446744073709551616": out of range' \
		path set tunnel 1 id 1 rate-cap 18446744073709551616
	expect_error "$NS" '"rate-cap" needs a value' path set tunnel 1 id 1 rate-cap
	expect_error "$NS" 'unknown argument "rate-cap", try "mpudpctl path help"' \
		path del tunnel 1 id 1 rate-cap 1mbit
	expect_error "$NS" 'unknown argument "now", try "mpudpctl monitor help"' monitor now
	mp "$NS" tunnel help > /dev/null
	mp "$NS" monitor help | grep -q '^Usage: mpudpctl monitor'
	rc=0
	mp "$NS" tunnel add local 10.0.1.1:1 2>/dev/null || rc=$?
	[ "$rc" = 2 ] || fail "kernel errors must exit with 2, got $rc"
	rc=0
	mp "$NS" tunnel del x 2>/dev/null || rc=$?
	[ "$rc" = 1 ] || fail "command-line errors must exit with 1, got $rc"
	rc=0
	mp "$NS" path set tunnel 1 id 1 rate-cap 10mb 2>/dev/null || rc=$?
	[ "$rc" = 1 ] || fail "a bad rate must exit with 1, got $rc"
	jq_check "$(snapshot)" 'length == 0'
}

test_raw_requests()
{
	local before t='{"TUNNEL": {"LOCAL_IPV4": "ip4:10.0.1.1", "LOCAL_PORT": "be16:1", "REMOTE_IPV4": "ip4:192.0.2.1", "REMOTE_PORT": "be16:1"'

	new_ns
	mp "$NS" tunnel add local 10.0.1.1:51820 remote 192.0.2.1:51820 > /dev/null
	mp "$NS" path add tunnel 1 remote 192.0.2.11 dev dummy0 > /dev/null
	before=$(snapshot)
	RAW_BATCH=$(mktemp)
	RAW_WANT=()
	raw "error EINVAL Missing tunnel attributes" TUNNEL_NEW
	raw "error EINVAL Missing path attributes" PATH_NEW
	raw "error EINVAL Give an IPv4 or an IPv6 address, not both" TUNNEL_NEW \
		"$t, \"LOCAL_IPV6\": \"ip6:2001:db8::1\"}}"
	raw "error EINVAL Missing port" TUNNEL_NEW \
		'{"TUNNEL": {"LOCAL_IPV4": "ip4:10.0.1.1", "REMOTE_IPV4": "ip4:192.0.2.1", "REMOTE_PORT": "be16:1"}}'
	raw "error EINVAL Port 0 is not a valid UDP port" TUNNEL_NEW \
		'{"TUNNEL": {"LOCAL_IPV4": "ip4:10.0.1.1", "LOCAL_PORT": "be16:0", "REMOTE_IPV4": "ip4:192.0.2.1", "REMOTE_PORT": "be16:1"}}'
	raw "error EINVAL Port 0 is not a valid UDP port" PATH_NEW \
		'{"PATH": {"TUNNEL_ID": "u32:1", "REMOTE_IPV4": "ip4:192.0.2.12", "LOCAL_IPV4": "ip4:10.0.1.1", "REMOTE_PORT": "be16:0"}}'
	raw "error EINVAL Unknown attribute type" TUNNEL_NEW "$t, \"99\": \"u32:1\"}}"
	raw "error EINVAL NLA_F_NESTED is missing" TUNNEL_NEW \
		'{"nonest:TUNNEL": {"ID": "u32:1"}}'
	raw "error ERANGE binary attribute size out of range" TUNNEL_NEW \
		'{"TUNNEL": {"LOCAL_IPV6": "hex:0a000101"}}'
	raw "error EINVAL invalid attribute length" TUNNEL_NEW \
		'{"TUNNEL": {"LOCAL_PORT": "u32:1"}}'
	raw "error EINVAL Attribute failed policy validation" TUNNEL_NEW \
		"$t, \"SCHED\": \"bytes:rr\"}}"
	raw "error EINVAL Unsupported attribute" TUNNEL_NEW "$t, \"PATH\": {}}}"
	raw "error EINVAL Unsupported attribute" TUNNEL_NEW "$t}, \"SCHED\": {}}"
	raw "error ENOTSUP The addresses and ports of a tunnel cannot be changed" \
		TUNNEL_SET '{"TUNNEL": {"ID": "u32:1", "SCHED": "str:rr", "REMOTE_PORT": "be16:9"}}'
	raw "error EINVAL The kernel chooses the id of a new path" PATH_NEW \
		'{"PATH": {"TUNNEL_ID": "u32:1", "ID": "u32:5", "REMOTE_IPV4": "ip4:192.0.2.12", "IFINDEX": "u32:1"}}'
	raw "error ENOTSUP Only the weight, the flags and the rate cap of a path can be changed" \
		PATH_SET '{"PATH": {"TUNNEL_ID": "u32:1", "ID": "u32:1", "IFINDEX": "u32:1"}}'
	raw "error EINVAL invalid attribute length" PATH_SET \
		'{"PATH": {"TUNNEL_ID": "u32:1", "ID": "u32:1", "RATE_CAP": "u32:10000"}}'
	raw "error ERANGE Rate cap must be 0 (none) or at least 8000 bit/s" PATH_SET \
		'{"PATH": {"TUNNEL_ID": "u32:1", "ID": "u32:1", "RATE_CAP": "u64:1"}}'
	raw "error ERANGE Rate cap must be 0 (none) or at least 8000 bit/s" PATH_NEW \
		'{"PATH": {"TUNNEL_ID": "u32:1", "REMOTE_IPV4": "ip4:192.0.2.12", "IFINDEX": "u32:1", "RATE_CAP": "u64:7999"}}'
	raw "error ERANGE FEC takes at most 32 datagrams per parity, or auto" TUNNEL_SET \
		'{"TUNNEL": {"ID": "u32:1", "FEC": "u32:33"}}'
	raw "error ERANGE FEC takes at most 32 datagrams per parity, or auto" TUNNEL_NEW \
		"$t, \"FEC\": \"u32:4294967295\"}}"
	raw "error EINVAL reserved bit set" PATH_SET \
		'{"PATH": {"TUNNEL_ID": "u32:1", "ID": "u32:1", "FLAGS": "u32:2"}}'
	raw "error ENODEV Unknown device" PATH_NEW \
		'{"PATH": {"TUNNEL_ID": "u32:1", "REMOTE_IPV4": "ip4:192.0.2.12", "IFINDEX": "u32:99999"}}'
	raw "error EINVAL Missing tunnel id" TUNNEL_GET '{"TUNNEL": {}}'
	raw "error ENOENT Unknown tunnel id" PATH_GET '{"PATH": {"TUNNEL_ID": "u32:42"}}' --dump
	raw "error ENOTSUP " 77
	raw "error EINVAL ambiguous or reserved bits set in nlmsg_flags" TUNNEL_GET \
		'{"TUNNEL": {"ID": "u32:1"}}' --flags 0x400
	# Changes need CAP_NET_ADMIN; reading does not.
	raw "ok 1" TUNNEL_GET '{"TUNNEL": {"ID": "u32:1"}}'
	raw "ok 1" PATH_GET '{"PATH": {"TUNNEL_ID": "u32:1"}}' --dump
	raw_run
	rm -f "$RAW_BATCH"
	unchanged "$before"
}

run_test "the schedulers are listed" test_sched_list
run_test "IPv4 tunnel: add, show, delete" test_tunnel_v4
run_test "IPv6 tunnel: add, show, delete" test_tunnel_v6
run_test "tunnel set changes the scheduler" test_tunnel_set
run_test "tunnel ids are not given again at once" test_ids_not_reused
run_test "paths: add, show, set, delete" test_paths
run_test "a path's rate cap: set, shown, removed" test_path_rate_cap
run_test "path dumps cover every tunnel or one" test_path_dump_all
run_test "a tunnel has at most 16 paths" test_max_paths
run_test "bad tunnel requests fail with their message and change nothing" test_bad_tunnels
run_test "bad path requests fail with their message and change nothing" test_bad_paths
run_test "bad command lines fail before anything is sent" test_bad_command_lines
run_test "malformed netlink requests are refused and change nothing" test_raw_requests
ktap_finish
