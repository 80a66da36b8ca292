#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demonstration inside the VM: two hosts joined by two emulated uplinks,
# the MPUDP module on both, a tunnel with two paths on each side.
#
#   left                                    right
#   veth1 10.1.1.1 ---- 10 Mbit/s, 10 ms ---- 10.1.1.2 veth1
#   veth2 10.1.2.1 ---- 10 Mbit/s, 40 ms ---- 10.1.2.2 veth2
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
C=$TOP/tools/mpudpctl/mpudpctl

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { echo "\$ $*"; "$@"; }

insmod "$TOP/mpudp.ko"
ip netns add left
ip netns add right
for i in 1 2; do
	ip link add "veth$i" netns left type veth peer "veth$i" netns right
	ip -n left addr add "10.1.$i.1/24" dev "veth$i"
	ip -n right addr add "10.1.$i.2/24" dev "veth$i"
	ip -n left link set "veth$i" up
	ip -n right link set "veth$i" up
done

say "A tunnel for the VPN's 4-tuple, and its two paths, on each side"
run "$C" -n left tunnel add local 10.1.1.1:51820 remote 10.1.1.2:51820 sched weighted
run "$C" -n left path add tunnel 1 dev veth1 local 10.1.1.1 remote 10.1.1.2 weight 3
run "$C" -n left path add tunnel 1 dev veth2 local 10.1.2.1 remote 10.1.2.2 weight 1
run "$C" -n right tunnel add local 10.1.1.2:51820 remote 10.1.1.1:51820 sched weighted
run "$C" -n right path add tunnel 1 dev veth1 local 10.1.1.2 remote 10.1.1.1 weight 3
run "$C" -n right path add tunnel 1 dev veth2 local 10.1.2.2 remote 10.1.2.1 weight 1

say "What the left side has"
run "$C" -n left tunnel show
run "$C" -n left -j -p tunnel show

say "The kernel checks every request"
run "$C" -n left path add tunnel 1 dev veth1 remote 10.1.1.2 weight 5000 || true
run "$C" -n left tunnel add local 10.1.1.1:51820 remote 10.1.1.2:51820 || true
echo
echo "The data path (traffic over both paths) is the next step of the project."
