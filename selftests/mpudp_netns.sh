#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tier: control
#
# Namespaces, permissions and lifetime: tunnels belong to one network
# namespace; changing them needs CAP_NET_ADMIN over that namespace; deleting
# the namespace or unloading the module frees them without a warning (the
# module WARNs at unload if any tunnel or path is left, and every subtest
# fails on a kernel warning).
#
#   ns1                 ns2
#   +-------------+     +-------------+
#   | tunnels ... |     | tunnels ... |   no links between them
#   +-------------+     +-------------+

. "$(dirname "$0")/lib.sh"
require_cmd jq ip setpriv unshare
require_module

NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all)

add_some()
{
	local ns=$1 n=$2 i

	for i in $(seq 1 "$n"); do
		echo "tunnel add local 10.0.0.1:$i remote 192.0.2.1:$i"
		echo "path add tunnel $i remote 192.0.2.2 local 10.0.0.2"
		echo "path add tunnel $i remote 192.0.2.3 local 10.0.0.3 weight 3"
	done | mp "$ns" -b - > /dev/null
}

test_isolation()
{
	local j

	setup_ns NS1 NS2
	j=$(mp "$NS1" -j tunnel add local 10.0.0.1:1 remote 192.0.2.1:1)
	jq_check "$j" '.id == 1'
	# The same 4-tuple in another namespace is another tunnel, with its own id.
	j=$(mp "$NS2" -j tunnel add local 10.0.0.1:1 remote 192.0.2.1:1 sched weighted)
	jq_check "$j" '.id == 1 and .sched == "weighted"'
	mp "$NS2" tunnel add local 10.0.0.1:2 remote 192.0.2.1:2 > /dev/null
	jq_check "$(mp "$NS1" -j tunnel show)" 'length == 1 and .[0].sched == "edpf"'
	jq_check "$(mp "$NS2" -j tunnel show)" 'length == 2'
	mp "$NS1" tunnel del 1
	jq_check "$(mp "$NS2" -j tunnel show)" 'length == 2'
	expect_error "$NS1" "Unknown tunnel id" tunnel show 2
}

test_non_admin()
{
	local out

	setup_ns NS
	mp "$NS" tunnel add local 10.0.0.1:1 remote 192.0.2.1:1 > /dev/null
	for args in "tunnel add local 10.0.0.1:2 remote 192.0.2.1:2" \
		    "tunnel del 1" "tunnel set 1 sched weighted" \
		    "path add tunnel 1 remote 192.0.2.2 local 10.0.0.2"; do
		# shellcheck disable=SC2086
		out=$(ip netns exec "$NS" "${NOBODY[@]}" "$MPUDPCTL" $args 2>&1) &&
			fail "nobody could run: $args"
		[ "$out" = "Error: Operation not permitted" ] ||
			fail "$args: got \"$out\""
	done
	# Reading needs no privilege.
	out=$(ip netns exec "$NS" "${NOBODY[@]}" "$MPUDPCTL" -j tunnel show)
	jq_check "$out" 'length == 1 and .[0].sched == "edpf" and .[0].paths == []'
}

test_user_namespace()
{
	local out

	# An unprivileged user owns the network namespace it creates with its
	# own user namespace, and may configure MPUDP there...
	out=$("${NOBODY[@]}" unshare -Urn sh -c \
		"'$MPUDPCTL' tunnel add local 10.0.0.1:1 remote 192.0.2.1:1 >/dev/null &&
		 '$MPUDPCTL' -j tunnel show")
	jq_check "$out" 'length == 1 and .[0].id == 1'
	# ...but not in a namespace its user namespace does not own.
	out=$("${NOBODY[@]}" unshare -Ur "$MPUDPCTL" \
		tunnel add local 10.0.0.1:1 remote 192.0.2.1:1 2>&1) &&
		fail "a user namespace changed the initial network namespace"
	[ "$out" = "Error: Operation not permitted" ] || fail "got \"$out\""
}

test_netns_delete()
{
	local ns

	setup_ns NS1 NS2
	add_some "$NS1" 50
	add_some "$NS2" 3
	jq_check "$(mp "$NS1" -j path show)" 'length == 100'
	cleanup_ns "$NS1"
	# The other namespace keeps its tunnels.
	jq_check "$(mp "$NS2" -j tunnel show)" 'length == 3 and all(.paths | length == 2)'
	# A namespace that dies while a dump is in flight is no problem either.
	setup_ns NS3
	add_some "$NS3" 20
	ns=$NS3
	mp "$ns" tunnel show > /dev/null 2>&1 &
	cleanup_ns "$ns"
	# The dump may have lost the race and failed; the kernel must not.
	wait || true
}

test_module_unload()
{
	setup_ns NS1 NS2
	add_some "$NS1" 30
	add_some "$NS2" 30
	add_some "$NS2" 0
	# A dying namespace whose cleanup may run after the unload started.
	setup_ns NS3
	add_some "$NS3" 10
	cleanup_ns "$NS3"
	rmmod mpudp
	! grep -q '^mpudp ' /proc/modules
	load_module
	# The namespaces outlived the module; their old tunnels did not.
	jq_check "$(mp "$NS1" -j tunnel show)" 'length == 0'
	add_some "$NS1" 2
	jq_check "$(mp "$NS1" -j tunnel show)" 'length == 2'
}

test_unload_in_use()
{
	# A process that has the family open does not keep the module: the
	# unload waits for nothing and the socket just stops working.
	setup_ns NS
	add_some "$NS" 5
	rmmod mpudp
	expect_error "$NS" "the mpudp kernel module is not loaded" tunnel show
	load_module
	jq_check "$(mp "$NS" -j tunnel show)" 'length == 0'
}

run_test "tunnels are per network namespace" test_isolation
run_test "changes need CAP_NET_ADMIN; reading does not" test_non_admin
run_test "a user namespace's root configures its own network namespace only" test_user_namespace
run_test "deleting a network namespace frees its tunnels and paths" test_netns_delete
run_test "unloading the module frees every namespace's tunnels" test_module_unload
run_test "the module unloads with tunnels configured and loads again" test_unload_in_use
ktap_finish
