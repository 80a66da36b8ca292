#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tier: control
#
# Scale of the control plane: a thousand tunnels with two paths each are
# created in one batch, dumped (over many netlink messages) and deleted.
#
#   ns: 1000 tunnels, 2000 paths; no traffic

. "$(dirname "$0")/lib.sh"
require_cmd jq ip
require_module

N=1000

test_thousand()
{
	local j i

	setup_ns NS
	for i in $(seq 1 $N); do
		echo "tunnel add local 10.0.$((i / 250)).$((i % 250 + 1)):51820 remote 192.0.2.1:$i"
		echo "path add tunnel $i remote 192.0.2.2:$i local 10.1.0.1 weight $((i % 1000 + 1))"
		echo "path add tunnel $i remote 192.0.2.3:$i local 10.1.0.2 backup"
	done > "$TMPDIR/batch"
	mp "$NS" -b "$TMPDIR/batch" > /dev/null

	j=$(mp "$NS" -j tunnel show)
	jq_check "$j" "length == $N"
	jq_check "$j" "map(.id) == [range(1; $N + 1)]"
	jq_check "$j" 'all(.remote_port == .id and (.paths | length) == 2)'
	jq_check "$j" 'all(.paths[0].weight == (.id % 1000 + 1) and .paths[1].backup)'
	j=$(mp "$NS" -j path show)
	jq_check "$j" "length == 2 * $N"
	jq_check "$j" 'all(.remote_port == .tunnel)'
	j=$(mp "$NS" -j path show tunnel 777)
	jq_check "$j" 'map(.id) == [1, 2] and all(.tunnel == 777)'

	for i in $(seq 1 2 $N); do
		echo "tunnel del $i"
	done | mp "$NS" -b - > /dev/null
	j=$(mp "$NS" -j tunnel show)
	jq_check "$j" "length == $N / 2 and all(.id % 2 == 0)"
}

run_test "1000 tunnels with 2000 paths: create, dump, delete" test_thousand
ktap_finish
