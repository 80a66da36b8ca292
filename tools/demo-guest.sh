#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demonstration inside the VM (tools/demo.sh boots it): a branch router
# ("left") and a VPN server ("right") joined by two emulated uplinks, and an
# unmodified WireGuard tunnel between them, first on one uplink, then over
# both with MPUDP.
#
#   left  wg0 10.9.0.1 ========= WireGuard ========= 10.9.0.2 wg0  right
#         v1 10.1.1.1 ---- uplink 1: 10 Mbit/s, RTT 20 ms ---- 10.1.1.2 v1
#         v2 10.1.2.1 ---- uplink 2: 10 Mbit/s, RTT 80 ms ---- 10.1.2.2 v2
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$TOP/selftests/topo.sh"
trap cleanup_all_ns EXIT
TIME=${DEMO_TIME:-10}

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { echo "\$ $*"; "$@"; }

goodput()
{
	ip netns exec "$A" iperf3 -c 10.9.0.2 -t "$TIME" -J |
		jq '.end.sum_received.bits_per_second / 1000000 * 100 | round / 100'
}

load_module
modprobe -a wireguard sch_netem
setup_hosts 2
for ns in "$A" "$B"; do
	netem "$ns" v1 delay 10ms rate 10mbit limit 80
	netem "$ns" v2 delay 40ms rate 10mbit limit 130
done
wireguard_pair 4
ip netns exec "$B" iperf3 -s -D -B 10.9.0.2
busywait 5000 sh -c "ip netns exec $B ss -Hltn 'sport = :5201' | grep -q ."

say "WireGuard on uplink 1 alone (its peer is 10.1.1.2:51820): iperf3 for ${TIME}s"
one=$(goodput)
echo "TCP goodput: $one Mbit/s"

say "MPUDP on both ends: one tunnel for WireGuard's 4-tuple, one path per uplink"
PATH=$TOP/tools/mpudpctl:$PATH
run mpudpctl -n "$A" tunnel add local 10.1.1.1:51820 remote 10.1.1.2:51820
run mpudpctl -n "$A" path add tunnel 1 dev v1 local 10.1.1.1 remote 10.1.1.2
run mpudpctl -n "$A" path add tunnel 1 dev v2 local 10.1.2.1 remote 10.1.2.2
run mpudpctl -n "$B" tunnel add local 10.1.1.2:51820 remote 10.1.1.1:51820
run mpudpctl -n "$B" path add tunnel 1 dev v1 local 10.1.1.2 remote 10.1.1.1
run mpudpctl -n "$B" path add tunnel 1 dev v2 local 10.1.2.2 remote 10.1.2.1
# The path monitors of both ends confirm each path within a few probes.
busywait 10000 paths_are "$A" active && busywait 10000 paths_are "$B" active
run mpudpctl -n "$A" tunnel show

say "The same WireGuard tunnel, unchanged, over both uplinks: iperf3 for ${TIME}s"
two=$(goodput)
echo "TCP goodput: $two Mbit/s"

say "What the receiving side saw (right)"
run mpudpctl -n "$B" -s tunnel show

say "Summary"
echo "WireGuard, uplink 1 alone:             $one Mbit/s"
echo "WireGuard over MPUDP, both uplinks:    $two Mbit/s"
echo "(two 10 Mbit/s uplinks, RTT 20 and 80 ms, emulated with netem in a QEMU VM;"
echo " one run each: see \`make bench\` for medians and more cases)"
