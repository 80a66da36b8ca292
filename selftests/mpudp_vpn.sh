#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tier: data
#
# Unmodified VPNs over MPUDP: kernel WireGuard and OpenVPN (UDP, static
# key), each configured with only the primary peer address. A file served by
# busybox httpd on $B is fetched with curl on $A through the VPN and must
# arrive byte for byte, with every path carrying part of it.
#
#   $A                                           $B
#   wg0 10.9.0.1 / tun0 10.8.0.1  <-- VPN -->    wg0 10.9.0.2 / tun0 10.8.0.2
#   v1 10.1.1.1 -------- path 1, netem --------- 10.1.1.2 v1   (primary)
#   v2 10.1.2.1 -------- path 2, netem --------- 10.1.2.2 v2

. "$(dirname "$0")/lib.sh"
require_cmd jq ip tc wg curl sha256sum ethtool nstat
require_module
[ -x /bin/busybox ] && /bin/busybox --list | grep -qx httpd ||
	{ echo "1..0 # SKIP busybox httpd is missing"; exit $ksft_skip; }

# serve SIZE_KB ADDR: a random file, served by httpd on $B at ADDR:8080.
serve()
{
	WWW=$(mktemp -d)
	head -c "$(($1 * 1024))" /dev/urandom > "$WWW/file"
	ip netns exec "$B" /bin/busybox httpd -p "$2:8080" -h "$WWW"
	busywait 5000 sh -c "ip netns exec $B ss -Hltn 'sport = :8080' | grep -q ."
}

# fetch ADDR: fetches the file through the VPN and compares it.
fetch()
{
	ip netns exec "$A" curl -sS --max-time 120 -o "$WWW/got" "http://$1:8080/file"
	[ "$(sha256sum < "$WWW/got")" = "$(sha256sum < "$WWW/file")" ] ||
		fail "the file changed on the way"
}

stop_servers()
{
	ip netns exec "$B" pkill -f 'busybox httpd' 2>/dev/null || true
	rm -rf "$WWW"
}

# both_paths_used NS MIN: every path of tunnel 1 in NS sent MIN datagrams.
both_paths_used()
{
	jq_check "$(mp "$1" -j tunnel show 1)" "[.[0].paths[].stats.tx_packets] | all(. >= $2)"
}

test_wireguard()
{
	setup_hosts 2
	delay_paths 5 20
	mpudp_tunnels 4 51820 rr 2
	wireguard_pair 4
	serve 4096 10.9.0.2
	fetch 10.9.0.2
	stop_servers
	both_paths_used "$A" 50
	both_paths_used "$B" 400
	mp "$B" -s tunnel show
	# WireGuard saw its peer at the primary address only.
	ip netns exec "$A" wg show wg0 endpoints | grep -q '10.1.1.2:51820$'
	ip netns exec "$B" wg show wg0 endpoints | grep -q '10.1.1.1:51820$'
}

test_wireguard_ipv6_paths()
{
	setup_hosts 2
	delay_paths 5 20
	mpudp_tunnels 6 51820 weighted 2
	wireguard_pair 6
	serve 1024 10.9.0.2
	fetch 10.9.0.2
	stop_servers
	both_paths_used "$B" 100
}

test_max_size()
{
	local frag

	# WireGuard's MTU 1420 over 1500-byte IPv4 paths: the 20-byte header
	# fits; nothing is fragmented.
	setup_hosts 2
	mpudp_tunnels 4 51820 rr 2
	wireguard_pair 4
	ip netns exec "$A" nstat -n
	ip netns exec "$A" ping -q -c 6 -i 0.2 -W 5 -M do -s 1392 10.9.0.2
	frag=$(ip netns exec "$A" nstat -az IpFragCreates | awk '/IpFragCreates/ {print $2}')
	[ "$frag" = 0 ] || fail "$frag fragments for packets that fit"
	both_paths_used "$A" 3
	cleanup_all_ns

	# Over IPv6 paths the same packets are 20 bytes too big: they are
	# fragmented, reassembled at the peer, and delivered.
	setup_hosts 2
	mpudp_tunnels 6 51820 rr 2
	wireguard_pair 6
	ip netns exec "$A" nstat -n
	ip netns exec "$B" nstat -n
	ip netns exec "$A" ping -q -c 6 -i 0.2 -W 5 -M do -s 1392 10.9.0.2
	frag=$(ip netns exec "$A" nstat -az Ip6FragCreates | awk '/Ip6FragCreates/ {print $2}')
	[ "$frag" -ge 12 ] || fail "only $frag fragments"
	# The replies too.
	frag=$(ip netns exec "$B" nstat -az Ip6FragCreates | awk '/Ip6FragCreates/ {print $2}')
	[ "$frag" -ge 12 ] || fail "only $frag fragments of replies"
}

test_link_down()
{
	local pid

	setup_hosts 2
	netem "$A" v1 delay 5ms rate 5mbit limit 100
	netem "$B" v1 delay 5ms rate 5mbit limit 100
	netem "$A" v2 delay 10ms rate 5mbit limit 100
	netem "$B" v2 delay 10ms rate 5mbit limit 100
	mpudp_tunnels 4 51820 rr 2
	wireguard_pair 4
	serve 3072 10.9.0.2
	ip netns exec "$A" curl -sS --max-time 300 -o "$WWW/got" http://10.9.0.2:8080/file &
	pid=$!
	busywait 30000 path_tx_at_least "$B" 2 200
	ip -n "$A" link set v2 down
	wait "$pid"
	[ "$(sha256sum < "$WWW/got")" = "$(sha256sum < "$WWW/file")" ] ||
		fail "the file changed on the way"
	stop_servers
	mp "$B" -s tunnel show
	# Path 2 stopped carrying data; path 1 carried the rest.
	jq_check "$(mp "$B" -j tunnel show 1)" '.[0].paths | .[0].stats.tx_packets > .[1].stats.tx_packets'
}

test_openvpn()
{
	local key

	require_cmd openvpn
	modprobe tun
	setup_hosts 2
	delay_paths 5 20
	mpudp_tunnels 4 1194 rr 2
	key=$(mktemp)
	openvpn --genkey secret "$key" > /dev/null
	for side in A B; do
		if [ $side = A ]; then l=1; r=2; else l=2; r=1; fi
		ip netns exec "${!side}" openvpn --daemon --log "$TMPDIR/ovpn-$side.log" \
			--dev tun0 --dev-type tun --ifconfig "10.8.0.$l" "10.8.0.$r" \
			--secret "$key" --cipher AES-256-CBC --proto udp \
			--local "10.1.1.$l" --lport 1194 --remote "10.1.1.$r" --rport 1194 \
			--writepid "$TMPDIR/ovpn-$side.pid"
	done
	busywait 30000 grep -q 'Initialization Sequence Completed' "$TMPDIR/ovpn-A.log"
	busywait 30000 grep -q 'Initialization Sequence Completed' "$TMPDIR/ovpn-B.log"
	serve 1024 10.8.0.2
	fetch 10.8.0.2
	stop_servers
	kill "$(cat "$TMPDIR/ovpn-A.pid")" "$(cat "$TMPDIR/ovpn-B.pid")"
	rm -f "$key"
	both_paths_used "$B" 100
	mp "$B" -s tunnel show
	# OpenVPN's replay protection dropped nothing MPUDP delivered.
	! grep -qi 'replay' "$TMPDIR/ovpn-A.log"
}

run_test "WireGuard over two paths: a 4 MB file arrives intact" test_wireguard
run_test "WireGuard over IPv6 paths: a 1 MB file arrives intact" test_wireguard_ipv6_paths
run_test "maximum-size WireGuard packets: fit over IPv4, fragmented over IPv6" test_max_size
run_test "a path's link goes down mid-download: the download completes" test_link_down
run_test "OpenVPN (UDP, static key) over two paths: a 1 MB file arrives intact" test_openvpn
ktap_finish
