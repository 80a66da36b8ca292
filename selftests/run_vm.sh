#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs the MPUDP tests as root on the running kernel (normally inside the VM
# that `make check` boots): first the module's built-in self-tests (the DEBUG
# build prints "<name> self-tests: pass" for each selftest/*.c and refuses to
# load if one fails), then the selftest scripts with the release module.
# Prints KTAP: one "ok"/"not ok" line per subtest.
#
# usage: run_vm.sh [--tier control] [SCRIPT...]
#   --tier control   only the scripts marked "# tier: control"
# Environment: MPUDP_KO (release module), MPUDP_DEBUG_KO (DEBUG module).

DIR=$(cd "$(dirname "$0")" && pwd)

# load_module KO: the modules it depends on, then it.
load_module()
{
	local deps

	deps=$(modinfo -F depends "$1" | tr ',' ' ')
	# shellcheck disable=SC2086
	[ -z "$deps" ] || modprobe -a $deps
	insmod "$1"
}
TOP=$(cd "$DIR/.." && pwd)
KO=${MPUDP_KO:-$TOP/mpudp.ko}
DEBUG_KO=${MPUDP_DEBUG_KO:-}
tier=all

if [ "${1:-}" = --tier ]; then
	tier=$2
	shift 2
fi
scripts=("$@")
[ ${#scripts[@]} -gt 0 ] || read -r -a scripts <<< "$(make -s -C "$DIR" list)"
timeout=$(sed -n 's/^timeout=//p' "$DIR/settings")

shopt -s lastpipe
n=0
result()
{
	n=$((n + 1))
	echo "$1 $n $2"
}

echo "TAP version 13"
echo "# kernel $(uname -r)"

# The in-module self-tests.
rmmod mpudp 2>/dev/null
if [ -n "$DEBUG_KO" ]; then
	start=$(($(dmesg | wc -l) + 1))
	if load_module "$DEBUG_KO"; then
		for t in "$TOP"/mpudp/selftest/*.c; do
			name=$(basename "$t" .c)
			if dmesg | tail -n +"$start" | grep -q "mpudp: $name self-tests: pass"; then
				result ok "in-module self-tests: $name"
			else
				result "not ok" "in-module self-tests: $name"
			fi
		done
		rmmod mpudp || result "not ok" "the DEBUG module unloads"
	else
		dmesg | tail -n +"$start" | grep mpudp | sed 's/^/# /'
		result "not ok" "in-module self-tests (the DEBUG module did not load)"
	fi
fi

if ! load_module "$KO"; then
	result "not ok" "mpudp.ko loads"
	echo "1..$n"
	exit 1
fi

for s in "${scripts[@]}"; do
	if [ "$tier" != all ] && ! grep -q "^# tier: $tier" "$DIR/$s"; then
		continue
	fi
	echo "# $s"
	out=$(mktemp)
	timeout -k 10 "$timeout" "$DIR/$s" > "$out" 2>&1 &
	pid=$!
	# Number the script's subtests into this run's sequence, as they end
	# (a run that hangs shows how far it got). Through a file, not a pipe:
	# a process the script leaves behind cannot hold this loop.
	tail -n +1 -s 0.2 -F --pid="$pid" "$out" 2>/dev/null |
	while IFS= read -r line; do
		case $line in
		"ok "*|"not ok "*)
			status=${line%% [0-9]*}
			rest=${line#"$status "}
			result "$status" "${rest#* }"
			;;
		"TAP version"*|1..*) ;;
		*) echo "$line" ;;
		esac
	done
	wait "$pid"
	rc=$?
	if [ "$rc" = 124 ]; then
		result "not ok" "$s: timed out after ${timeout}s"
	elif [ "$rc" = 137 ]; then
		# timeout's SIGKILL, 10 s after its SIGTERM was not enough
		# (or another SIGKILL: the OOM killer).
		result "not ok" "$s: killed (timed out after ${timeout}s, or out of memory)"
	elif [ "$rc" != 0 ] && [ "$rc" != 4 ] && ! grep -q '^not ok' "$out"; then
		result "not ok" "$s: exited with $rc"
	elif [ "$rc" = 4 ] && ! grep -q '^ok' "$out"; then
		result "ok" "$s # SKIP $(grep -m1 SKIP "$out")"
	fi
	rm -f "$out"
	# A script must leave the module loaded and no namespace behind.
	grep -q '^mpudp ' /proc/modules || load_module "$KO"
done
echo "1..$n"
