#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tier: data
#
# The data path with numbered UDP datagrams (udp_pair): both hosts run MPUDP
# with a tunnel for the 4-tuple of path 1 and two or three paths.
#
#   $A                                      $B
#   udp_pair send 10.1.1.1:5000 ........... udp_pair recv 10.1.1.2:5000
#   v1 10.1.1.1 ------- path 1, netem ------- 10.1.1.2 v1
#   v2 10.1.2.1 ------- path 2, netem ------- 10.1.2.2 v2
#   (IPv6: fd00:N::1 and fd00:N::2 on the same links)

. "$(dirname "$0")/lib.sh"
require_cmd jq ip tc ss ethtool /usr/bin/python3
require_module
[ -x "$UDP_PAIR" ] || { echo "1..0 # SKIP $UDP_PAIR is not built"; exit $ksft_skip; }

FROM=10.1.1.1:5000
TO=10.1.1.2:5000

# in_order RESULT NS COUNT: the receiver got COUNT different datagrams, no
# duplicate, and every one that came after a higher one is a datagram the
# tunnel of NS delivered late (after giving its gap up): resequencing
# released nothing else out of order. Late ones must stay under 1%.
in_order()
{
	local late

	late=$(tstat "$2" .stats.rx_late)
	jq_check "$1" ".unique == $3 and .duplicates == 0 and .bad == 0 and
		       .out_of_order == $late and $late <= $3 / 100"
}

test_in_order()
{
	local r

	setup_hosts 2
	delay_paths 5 30
	mpudp_tunnels 4 5000 rr 2
	r=$(udp_transfer $FROM $TO 2000 1000 1000)
	in_order "$r" "$B" 2000
	# The paths took turns; the slow path's datagrams were waited for.
	[ "$(tstat "$A" .paths[0].stats.tx_packets)" = 1000 ]
	[ "$(tstat "$A" .paths[1].stats.tx_packets)" = 1000 ]
	[ "$(tstat "$B" .paths[1].stats.rx_packets)" = 1000 ]
	jq_check "$(mp "$B" -j tunnel show 1)" '.[0].stats | .rx_reordered > 500 and
		.rx_gaps_timeout == .rx_late and .rx_gaps_proven == 0 and .rx_held == 0'
	# The receiver measured the delay difference (25 ms one way).
	jq_check "$(mp "$B" -j tunnel show 1)" '.[0].paths[1].stats.delay_us | . > 20000 and . < 40000'
}

test_without_hold()
{
	local r

	# The same paths with the hold time 0: what resequencing prevents.
	setup_hosts 2
	delay_paths 5 30
	mpudp_tunnels 4 5000 rr 2
	mp "$B" tunnel set 1 max-hold 0 > /dev/null
	r=$(udp_transfer $FROM $TO 1000 1000 1000)
	jq_check "$r" '.unique == 1000 and .out_of_order > 100'
	jq_check "$(mp "$B" -j tunnel show 1)" '.[0].stats.rx_late > 100'
}

# drop_numbered [-6] N...: $A drops udp_pair's datagrams N... whichever
# path they take, after MPUDP (the number is the u32 word at offset 52: IP
# 20 + UDP 8 + MPUDP 20 + 4; the MPUDP type, data, in the low nibble at 29;
# IPv6 with -6: 20 bytes further).
drop_numbered()
{
	local i n proto=ip ip=20

	if [ "$1" = -6 ]; then
		proto=ipv6
		ip=40
		shift
	fi
	for i in 1 2; do
		ip netns exec "$A" tc qdisc add dev "v$i" clsact
		for n in "$@"; do
			ip netns exec "$A" tc filter add dev "v$i" egress protocol $proto \
				prio 1 u32 match u8 1 0x0f at $((ip + 9)) \
				match u32 "$n" 0xffffffff at $((ip + 32)) action drop
		done
	done
}

test_loss_accounted()
{
	local r lost errors

	setup_hosts 2
	delay_paths 5 20
	mpudp_tunnels 4 5000 rr 2
	drop_numbered 11 101 103 601
	r=$(udp_transfer $FROM $TO 1000 500 1000)
	in_order "$r" "$B" 996
	jq_check "$r" '.missing == [11, 101, 103, 601]'
	# Each loss is a gap in its path's sequence numbers; the sender counts
	# the datagrams its tc filter dropped as send errors.
	lost=$(tstat "$B" '.paths | map(.stats.rx_lost) | add')
	errors=$(tstat "$A" '.paths | map(.stats.tx_errors) | add')
	[ "$lost" -ge 4 ] && [ "$errors" = 4 ] ||
		fail "rx_lost $lost, tx_errors $errors: $(mp "$A" -j tunnel show 1) $(mp "$B" -j tunnel show 1)"
	jq_check "$(mp "$B" -j tunnel show 1)" '.[0].stats | .rx_gaps_timeout +
		.rx_gaps_proven + .rx_gaps_lost + .rx_gaps_overflow - .rx_late == 4'
}

test_loss_own_path()
{
	local r

	# Path 2 is 145 ms slower: the other path passes a gap only that much
	# later, and the hold time is longer still. The next datagram on the
	# gap's own path names it (the header's prev): it is given up after
	# a grace time of a few ms.
	setup_hosts 2
	delay_paths 5 150
	mpudp_tunnels 4 5000 rr 2
	mp "$B" tunnel set 1 max-hold 1000ms > /dev/null
	# rr: 11 and 600 go on different paths, 101 and 103 on the same one.
	drop_numbered 11 101 103 600
	r=$(udp_transfer $FROM $TO 1000 500 1000)
	in_order "$r" "$B" 996
	jq_check "$r" '.missing == [11, 101, 103, 600]'
	# 105 names 103 only: two are missing on its path, 101 waits.
	jq_check "$(mp "$B" -j tunnel show 1)" '.[0].stats | .rx_gaps_lost == 3 and
		.rx_gaps_timeout + .rx_gaps_proven + .rx_gaps_overflow == 1'
}

test_silent_path_start()
{
	local r

	# $B has a second path that $A does not: it stays silent. While a
	# path has not been heard from, the first datagrams may be held (one
	# sent before them may still come on it), a max-hold at most: the
	# three arrive, in order, although nothing else comes after them.
	setup_hosts 2
	delay_paths 5 5
	mp "$A" tunnel add local $FROM remote $TO sched rr > /dev/null
	mp "$A" path add tunnel 1 dev v1 local 10.1.1.1 remote 10.1.1.2 > /dev/null
	mp "$B" tunnel add local $TO remote $FROM sched rr > /dev/null
	mp "$B" path add tunnel 1 dev v1 local 10.1.1.2 remote 10.1.1.1 > /dev/null
	mp "$B" path add tunnel 1 dev v2 local 10.1.2.2 remote 10.1.2.1 > /dev/null
	busywait 10000 paths_are "$A" active && busywait 10000 paths_are "$B" active 1 ||
		fail "path 1 did not become active: $(mp "$B" -j tunnel show 1)"
	r=$(udp_transfer $FROM $TO 3 100 100 2000)
	in_order "$r" "$B" 3
	jq_check "$(mp "$B" -j tunnel show 1)" '.[0] | .paths[1].stats.rx_packets == 0 and
		.paths[1].state != "active" and .stats.rx_held == 0'
}

test_fec()
{
	local r j tx missing

	# A parity datagram after every 4, groups interleaved 4 deep (set on
	# $A only: $B learns both from the parity). A single loss in a group
	# is rebuilt, in order, without a gap: so is each of 4 losses in a
	# row (4 groups); of 9 in a row, 3 share a group, at least 2 of them
	# in one block, which one parity cannot rebuild. Lengths vary (the
	# lost one's is rebuilt too: udp_pair checks it) up to what a
	# 1500-byte path takes, 1452: parity datagrams, as long as the longest
	# of their group, fit too. $B collects from the first parity on: the
	# first loss comes a few blocks later (that parity may take the slower
	# path while the next block's datagrams take the faster one). 2000
	# datagrams a second: the sender does not flush a group early (after
	# 10 ms without datagrams) unless the emulator stalls it.
	setup_hosts 2
	delay_paths 5 20
	mpudp_tunnels 4 5000 rr 2
	mp "$A" tunnel set 1 fec 4 > /dev/null
	jq_check "$(mp "$A" -j tunnel show 1)" '.[0].fec == 4'
	drop_numbered 151 201 301 401 402 403 404 $(seq 601 609) 801
	r=$(udp_transfer $FROM $TO 1000 1352-1452 2000)
	jq_check "$r" '.bad == 0 and (.missing - [range(601; 610)]) == [] and
		(.missing | length) >= 2'
	in_order "$r" "$B" "$(jq '1000 - (.missing | length)' <<< "$r")"
	# Each loss was rebuilt unless its group lost two; so were datagrams
	# still on the slower path when the rest of their group and the parity
	# were in (their originals came as duplicates). Every parity arrived
	# (the filters drop data only); rebuilt ones closed their gaps before
	# any rule gave them up (a gap given up for a datagram that came after
	# all is counted late, as in test_loss_accounted).
	missing=$(jq '.missing | length' <<< "$r")
	j=$(mp "$B" -j tunnel show 1)
	jq_check "$j" ".[0].stats | .rx_fec_recovered >= 17 - $missing and
		.rx_duplicates == .rx_fec_recovered - (17 - $missing)"
	# One parity per 4 datagrams: at most 250 for full groups, and the 4
	# groups of the last block flushed part full, as are those of any
	# block the sender paused in for 10 ms (the emulator may stall it
	# once); fewer when the first block started past its first groups.
	tx=$(tstat "$A" .stats.tx_fec)
	[ "$tx" -ge 240 ] && [ "$tx" -le 258 ] || fail "tx_fec $tx"
	jq_check "$j" ".[0].stats | .rx_fec == $tx and .rx_gaps_lost + .rx_gaps_timeout +
		.rx_gaps_proven + .rx_gaps_overflow - .rx_late == $missing"
	# Off again: no more parity.
	mp "$A" tunnel set 1 fec off > /dev/null
	r=$(udp_transfer $FROM $TO 200 500 1000)
	[ "$(tstat "$A" .stats.tx_fec)" = "$tx" ] || fail "parity after fec off"
}

# ratio SCHED COUNT WEIGHT1 WEIGHT2: per-path counts within 1% of the split.
ratio()
{
	local sched=$1 n=$2 w1=$3 w2=$4 r tx1 tx2 want1

	setup_hosts 2
	mpudp_tunnels 4 5000 "$sched" 2 "$w1" "$w2"
	r=$(udp_transfer $FROM $TO "$n" 200 0 1000)
	mp "$B" -s tunnel show
	in_order "$r" "$B" "$n"
	tx1=$(tstat "$A" .paths[0].stats.tx_packets)
	tx2=$(tstat "$A" .paths[1].stats.tx_packets)
	if [ "$sched" = rr ]; then
		want1=$((n / 2))
	else
		want1=$((n * w1 / (w1 + w2)))
	fi
	[ $((tx1 + tx2)) = "$n" ] || fail "$tx1 + $tx2 datagrams sent, not $n"
	[ $(( (tx1 - want1) * 100 / n )) = 0 ] ||
		fail "path 1 carried $tx1 of $n, expected $want1"
	echo "path 1: $tx1, path 2: $tx2"
}

test_ratio_rr()
{
	ratio rr 4000 1 1
}

test_ratio_75_25()
{
	ratio weighted 4000 75 25
}

test_ratio_90_10()
{
	ratio weighted 4000 90 10
}

test_ipv6()
{
	local r

	setup_hosts 2
	delay_paths 5 25
	mpudp_tunnels 6 5000 rr 2
	r=$(udp_transfer "[fd00:1::1]:5000" "[fd00:1::2]:5000" 1000 1200 1000)
	mp "$B" -s tunnel show
	in_order "$r" "$B" 1000
	[ "$(tstat "$A" .paths[1].stats.tx_packets)" = 500 ]
	[ "$(tstat "$B" .paths[1].stats.rx_csum_errors)" = 0 ]
	jq_check "$(mp "$B" -j tunnel show 1)" '.[0].stats.rx_reordered > 0'
}

test_fec_auto()
{
	local r

	# fec auto: no parity without loss; 2% loss on path 1 (from $A) puts a
	# group size in use and losses are rebuilt; once the loss is gone the
	# parity stops.
	setup_hosts 2
	delay_paths 5 10
	mpudp_tunnels 4 5000 edpf 2
	mp "$A" tunnel set 1 fec auto > /dev/null
	jq_check "$(mp "$A" -j tunnel show 1)" '.[0] | .fec_auto and .fec == 0 and .fec_now == 0'
	r=$(udp_transfer $FROM $TO 500 1000 1000)
	in_order "$r" "$B" 500
	[ "$(tstat "$A" .stats.tx_fec)" = 0 ] || fail "parity without loss"
	netem "$A" v1 delay 5ms loss 2% limit 10000
	r=$(udp_transfer $FROM $TO 3000 1000 1000)
	jq_check "$(mp "$A" -j tunnel show 1)" '.[0] | .fec_now > 0 and .stats.tx_fec > 0'
	jq_check "$(mp "$B" -j tunnel show 1)" '.[0].stats.rx_fec_recovered > 0'
	jq_check "$r" '.bad == 0'
	netem "$A" v1 delay 5ms limit 10000
	r=$(udp_transfer $FROM $TO 3000 1000 1000)
	jq_check "$r" '.unique == 3000 and .bad == 0'
	busywait 5000 sh -c "[ \"\$('$MPUDPCTL' -n $A -j tunnel show 1 | jq '.[0].fec_now')\" = 0 ]" ||
		fail "fec_now $(tstat "$A" .fec_now) without loss"
}

test_fec_auto_own_drops()
{
	local r

	# fec auto: what the sender's own full queue drops is no loss of the
	# path. Both paths at 2 Mbit/s with short queues on $A, offered 16:
	# most datagrams are dropped by $A's qdiscs (tx_errors), none by the
	# paths beyond them, and no parity is sent.
	setup_hosts 2
	mpudp_tunnels 4 5000 edpf 2
	mp "$A" tunnel set 1 fec auto > /dev/null
	netem "$A" v1 delay 5ms rate 2mbit limit 20
	netem "$A" v2 delay 10ms rate 2mbit limit 20
	r=$(udp_transfer $FROM $TO 4000 1000 2000)
	jq_check "$r" '.bad == 0'
	jq_check "$(mp "$A" -j tunnel show 1)" '.[0] |
		(.paths | all(.stats.tx_errors > 200 and .stats.tx_loss_ppm < 10000)) and
		.fec_now == 0 and .stats.tx_fec == 0'
}

test_fec_ipv6()
{
	local r

	# As test_fec, over IPv6 (whose UDP checksum the rebuilt ones need),
	# groups of 8: blocks of 32, the first loss in the fifth. At 1000 a
	# second a group takes up to 32 ms to complete, and its parity may
	# come 20 ms later still, on the slower path: the gap waits for it.
	setup_hosts 2
	delay_paths 5 25
	mpudp_tunnels 6 5000 rr 2
	mp "$A" tunnel set 1 fec 8 > /dev/null
	drop_numbered -6 151 301 601
	r=$(udp_transfer "[fd00:1::1]:5000" "[fd00:1::2]:5000" 1000 100-1432 1000)
	in_order "$r" "$B" 1000
	[ "$(tstat "$B" .stats.rx_fec)" = "$(tstat "$A" .stats.tx_fec)" ]
	jq_check "$(mp "$B" -j tunnel show 1)" '.[0].stats | .rx_fec_recovered >= 3 and
		.rx_gaps_lost + .rx_gaps_timeout + .rx_gaps_proven + .rx_gaps_overflow - .rx_late == 0'
	[ "$(tstat "$B" '.paths | map(.stats.rx_csum_errors) | add')" = 0 ]
	[ "$(tstat "$A" '.paths | map(.stats.tx_errors) | add')" = 3 ]
}

# craft NS SRC DST HEX...: one UDP datagram per HEX payload from SRC to DST.
craft()
{
	ip netns exec "$1" /usr/bin/python3 - "$2" "$3" "${@:4}" <<'PY'
import socket, sys
src, dst = sys.argv[1].rsplit(':', 1), sys.argv[2].rsplit(':', 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((src[0], int(src[1])))
for h in sys.argv[3:]:
    s.sendto(bytes.fromhex(h), (dst[0], int(dst[1])))
PY
}

# A datagram with a bad UDP checksum, over a raw socket.
craft_bad_csum()
{
	ip netns exec "$1" /usr/bin/python3 - "$2" "$3" "$4" <<'PY'
import socket, struct, sys
src, dst, payload = sys.argv[1].rsplit(':', 1), sys.argv[2].rsplit(':', 1), bytes.fromhex(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_UDP)
s.bind((src[0], 0))
udp = struct.pack('!HHHH', int(src[1]), int(dst[1]), 8 + len(payload), 0x1234) + payload
s.sendto(udp, (dst[0], 0))
PY
}

test_malformed()
{
	local tag good bad_tag r j

	setup_hosts 2
	mpudp_tunnels 4 5000 rr 2
	tag=$(mp "$A" -j tunnel show 1 | jq -r '.[0].tag')
	# A well-formed header (version 1, data, path 2, 5 words, seq 7, path
	# seq 0, the tunnel's tag) and the same with another tag.
	good=$(printf 'b1010205000000070000%04x0000000000000000' "$tag")
	bad_tag=$(printf 'b1010205000000070000%04x0000000000000000' $(( tag ^ 0xffff )))
	# From the peer's path 2 address to ours. Parity (type 3): K 0; K 4,
	# depth 1 and K 4, depth 2, where seq 7 is no group's first.
	craft "$B" 10.1.2.2:5000 10.1.2.1:5000 \
		b1 \
		"b2${good:2}" \
		"${good:0:2}07${good:4}ffff" \
		"${good:0:6}01${good:8}" \
		"${good:0:2}03${good:4}" \
		"${good:0:2}03${good:4:28}04020000aa" \
		"${good:0:2}03${good:4:28}04020800aa" \
		"$bad_tag" \
		"00112233445566778899" \
		"00$(head -c 300 /dev/urandom | od -An -tx1 | tr -d ' \n')"
	craft_bad_csum "$B" 10.1.2.2:5000 10.1.2.1:5000 "${good}00112233"
	busywait 2000 sh -c "[ \"\$('$MPUDPCTL' -n $A -j tunnel show 1 | jq '.[0].paths[1].stats.rx_csum_errors')\" = 1 ]" ||
		fail "the bad checksum was not counted"
	j=$(mp "$A" -j tunnel show 1)
	jq_check "$j" '.[0].paths[1].stats | .rx_malformed >= 7 and .rx_malformed <= 8 and
		.rx_bad_version == 1 and .rx_unknown_tunnel == 1 and .rx_packets == 0'
	# Nothing reached the resequencer; the tunnel still works both ways.
	jq_check "$j" '.[0].stats | .rx_in_order == 0 and .rx_reordered == 0'
	r=$(udp_transfer $FROM $TO 200 500 1000)
	in_order "$r" "$B" 200
}

test_fuzz()
{
	local j i

	setup_hosts 2
	mpudp_tunnels 4 5000 rr 2
	# 300 random datagrams that start like MPUDP, of random lengths.
	ip netns exec "$B" /usr/bin/python3 - <<'PY'
import os, random, socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('10.1.2.2', 5000))
for i in range(300):
    n = random.randrange(1, 64)
    s.sendto(bytes([0xb0 | random.randrange(16)]) + os.urandom(n - 1), ('10.1.2.1', 5000))
PY
	busywait 5000 sh -c "'$MPUDPCTL' -n $A -j tunnel show 1 | jq -e '.[0].paths[1].stats |
		.rx_malformed + .rx_bad_version + .rx_unknown_tunnel >= 300' > /dev/null" ||
		fail "not every datagram was counted: $(mp "$A" -j tunnel show 1)"
	r=$(udp_transfer $FROM $TO 200 500 1000)
	in_order "$r" "$B" 200
}

test_plain_peer()
{
	local r

	# The peer has no MPUDP: its plain datagrams on the primary 4-tuple
	# are delivered as they are, and counted.
	setup_hosts 2
	mpudp_tunnels 4 5000 rr 2
	mp "$B" tunnel del 1
	r=$(ip netns exec "$A" "$UDP_PAIR" recv 10.1.1.1:5000 300 3000 &
	    busywait 5000 udp_ready "$A" 5000
	    ip netns exec "$B" "$UDP_PAIR" send 10.1.1.2:5000 10.1.1.1:5000 300 500 0
	    wait)
	jq_check "$r" '.unique == 300 and .bad == 0'
	[ "$(tstat "$A" .stats.rx_plain)" = 300 ]
	# A's monitor finds the peer silent on every path: the tunnel falls
	# back to plain datagrams on the primary 4-tuple.
	busywait 10000 tunnel_is "$A" fallback ||
		fail "no fallback: $(mp "$A" -j tunnel show 1)"
	paths_are "$A" failed
	# Once the peer counts as gone, no probe goes to its VPN socket.
	busywait 10000 sh -c "[ \$('$MPUDPCTL' -n $A -j tunnel show 1 | jq .[0].probe_interval_us) = 1000000 ]"
	r=$(udp_transfer $FROM $TO 300 500 0)
	jq_check "$r" '.unique == 300 and .bad == 0'
	[ "$(tstat "$A" .stats.tx_plain)" = 300 ]
	# Without paths the tunnel sends plain datagrams too.
	mp "$A" path del tunnel 1 id 1
	mp "$A" path del tunnel 1 id 2
	r=$(udp_transfer $FROM $TO 300 500 0)
	jq_check "$r" '.unique == 300 and .bad == 0'
	[ "$(tstat "$A" .stats.tx_plain)" = 600 ]
}

test_link_down()
{
	local out pid r

	setup_hosts 2
	delay_paths 5 10
	mpudp_tunnels 4 5000 rr 2
	out=$(mktemp)
	ip netns exec "$B" "$UDP_PAIR" recv $TO 3000 3000 > "$out" &
	pid=$!
	busywait 5000 udp_ready "$B" 5000
	ip netns exec "$A" "$UDP_PAIR" send $FROM $TO 3000 500 500 &
	busywait 10000 path_tx_at_least "$A" 2 200 ||
		fail "path 2 carried too little: $(mp "$A" -j tunnel show 1)"
	ip -n "$A" link set v2 down
	wait "$pid"
	r=$(cat "$out")
	rm -f "$out"
	mp "$A" -s tunnel show
	mp "$B" -s tunnel show
	# Only what was on path 2 when it went down is lost; the rest, in order.
	jq_check "$r" '.max == 2999 and .unique >= 2990'
	in_order "$r" "$B" "$(jq .unique <<< "$r")"
	jq_check "$(mp "$A" -j tunnel show 1)" '.[0].paths | .[0].stats.tx_packets > 1800 and
		.[1].stats.tx_packets < 1200'
}

test_unload_under_traffic()
{
	local r

	setup_hosts 2
	delay_paths 5 30
	mpudp_tunnels 4 5000 rr 2
	ip netns exec "$B" "$UDP_PAIR" recv $TO 100000 2000 > /dev/null &
	busywait 5000 udp_ready "$B" 5000
	ip netns exec "$A" "$UDP_PAIR" send $FROM $TO 20000 1000 5000 &
	busywait 10000 sh -c "[ \$('$MPUDPCTL' -n $B -j tunnel show 1 | jq '.[0].stats.rx_reordered') -ge 50 ]"
	rmmod mpudp
	wait
	load_module
	mpudp_tunnels 4 5000 rr 2
	r=$(udp_transfer $FROM $TO 500 500 1000)
	in_order "$r" "$B" 500
}

test_pmtu_df()
{
	local out

	# A socket that forbids fragmenting (IP_PMTUDISC_DO) and sends a
	# datagram that fits 1500 bytes without MPUDP but not with it: the
	# datagram is dropped and the socket learns an MTU 20 bytes smaller.
	setup_hosts 2
	mpudp_tunnels 4 5000 rr 2
	out=$(ip netns exec "$A" /usr/bin/python3 - <<'PY'
import errno, socket, time
IP_MTU_DISCOVER, IP_PMTUDISC_DO, IP_MTU = 10, 2, 14
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DO)
s.bind(('10.1.1.1', 5000))
s.connect(('10.1.1.2', 5000))
s.send(b'x' * 1472)
for i in range(50):
    try:
        s.send(b'x' * 1472)
    except OSError as e:
        if e.errno == errno.EMSGSIZE:
            break
    time.sleep(0.1)
print(s.getsockopt(socket.IPPROTO_IP, IP_MTU))
for i in range(3):
    try:
        s.send(b'x' * 1452)
        break
    except OSError as e:
        # An error of an earlier datagram is reported once.
        if e.errno != errno.EMSGSIZE:
            raise
PY
)
	[ "$out" = 1480 ] || fail "the socket's MTU is $out, not 1480"
	# The smaller datagram went through.
	busywait 5000 sh -c "[ \"\$('$MPUDPCTL' -n $B -s tunnel show 1 | awk '\$1 == \"rx:\" && \$2 == \"packets\" {n += \$3} END {print n}')\" = 1 ]"
	[ "$(tstat "$A" ' | .paths[0].stats.tx_errors + .paths[1].stats.tx_errors')" -ge 1 ]
}

test_udp_gso()
{
	local out pid r

	# A sender using UDP GSO (UDP_SEGMENT) hands one skb of 20 datagrams to
	# the stack: each gets its own sequence number and path.
	setup_hosts 2
	delay_paths 2 6
	mpudp_tunnels 4 5000 rr 2
	out=$(mktemp)
	ip netns exec "$B" "$UDP_PAIR" recv $TO 40 3000 > "$out" &
	pid=$!
	busywait 5000 udp_ready "$B" 5000
	ip netns exec "$A" /usr/bin/python3 - <<'PY'
import socket, struct
UDP_SEGMENT = 103
def dgram(seq, size=1000):
    return struct.pack('!II', 0x4d505544, seq) + bytes((seq * 31 + i) & 0xff for i in range(size - 8))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_UDP, UDP_SEGMENT, 1000)
s.bind(('10.1.1.1', 5000))
for first in (0, 20):
    s.sendto(b''.join(dgram(first + i) for i in range(20)), ('10.1.1.2', 5000))
PY
	wait "$pid"
	r=$(cat "$out")
	rm -f "$out"
	in_order "$r" "$B" 40
	[ "$(tstat "$A" .paths[0].stats.tx_packets)" = 20 ]
	[ "$(tstat "$A" .paths[1].stats.tx_packets)" = 20 ]
}

run_test "datagrams over 10 ms and 60 ms RTT paths arrive once and in order" test_in_order
run_test "without a hold time the same paths reorder" test_without_hold
run_test "losses: the rest in order, every missing datagram counted" test_loss_accounted
run_test "a loss is given up when the next datagram on its path comes" test_loss_own_path
run_test "a path silent from the start: the first datagrams are released" test_silent_path_start
run_test "fec: a single loss in a group is rebuilt from parity" test_fec
run_test "rr splits 50/50 within 1%" test_ratio_rr
run_test "weighted splits 75/25 within 1%" test_ratio_75_25
run_test "weighted splits 90/10 within 1%" test_ratio_90_10
run_test "IPv6 paths: in order, checksums right" test_ipv6
run_test "fec over IPv6 paths: losses rebuilt" test_fec_ipv6
run_test "fec auto: parity only while a path loses" test_fec_auto
run_test "fec auto: the sender's own queue drops are no loss of the path" test_fec_auto_own_drops
run_test "a DF datagram that no longer fits: ICMP to the sender, smaller MTU" test_pmtu_df
run_test "UDP GSO: every segment gets its own number and path" test_udp_gso
run_test "malformed datagrams are counted and dropped" test_malformed
run_test "random datagrams are counted and dropped; the tunnel works" test_fuzz
run_test "a peer without MPUDP: plain datagrams both ways" test_plain_peer
run_test "a path's link goes down mid-transfer: the rest arrives in order" test_link_down
run_test "unloading the module under traffic, then loading it again" test_unload_under_traffic
ktap_finish
