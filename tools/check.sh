#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check`: everything that tells whether MPUDP works, in one run.
#
#  1. installs what is missing (tools/deps.sh) and builds;
#  2. host tests: the module builds without warnings (W=1) and sparse
#     findings on every kernel, checkpatch, the uAPI header against its YAML
#     spec, mpudpctl's parsers;
#  3. VM tests: on the first kernel of CHECK_KERNELS every selftest, on the
#     others the control-plane ones (the in-module self-tests run on all).
#
# Output is KTAP per stage, kept in build/check/; the last line is the total:
# "N passed, N failed, N skipped". Exits non-zero when anything failed.
#
# Environment: CHECK_KERNELS (default "6.1 6.12"), CHECK_TESTS (selftest
# scripts to run instead of all of them).
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$TOP" || exit 1
read -r -a kernels <<< "${CHECK_KERNELS:-6.1 6.12}"
LOG=$TOP/build/check
rm -rf "$LOG"
mkdir -p "$LOG"

tools/deps.sh "${kernels[@]}" || { echo "0 passed, 1 failed"; exit 1; }

unit=$LOG/host.log
n=0
host_result()
{
	n=$((n + 1))
	echo "$1 $n $2" | tee -a "$unit"
}

# host_test DESCRIPTION COMMAND...: one KTAP line; the output on failure.
host_test()
{
	local desc=$1 out

	shift
	out=$("$@" 2>&1)
	if [ $? = 0 ]; then
		host_result ok "$desc"
	else
		host_result "not ok" "$desc"
		sed 's/^/# /' <<< "$out" | tail -n 40 | tee -a "$unit"
	fi
}

# no_warnings LOGFILE COMMAND...: the command succeeds and prints no warning.
no_warnings()
{
	local f=$1

	shift
	"$@" > "$f" 2>&1 || { cat "$f"; return 1; }
	! grep -E 'warning:|error:' "$f"
}

# Runs a KTAP-printing test program and renumbers its results.
ktap_merge()
{
	local line status

	while IFS= read -r line; do
		case $line in
		"ok "*|"not ok "*)
			status=${line%% [0-9]*}
			line=${line#"$status "}
			host_result "$status" "${line#* }" ;;
		"#"*) echo "$line" | tee -a "$unit" ;;
		esac
	done
}

echo "TAP version 13" | tee "$unit"
for k in "${kernels[@]}"; do
	host_test "mpudp.ko builds without warnings (W=1) for Linux $k" \
		no_warnings "$LOG/build-$k.log" make -s module KERNEL="$k"
	host_test "DEBUG mpudp.ko builds without warnings for Linux $k" \
		no_warnings "$LOG/build-debug-$k.log" make -s module-debug KERNEL="$k"
	host_test "sparse finds nothing in the module for Linux $k" \
		no_warnings "$LOG/sparse-$k.log" make -s sparse KERNEL="$k"
done
host_test "checkpatch --strict finds nothing in the module" tools/style.sh
host_test "mpudpctl builds with -Wall -Wextra -Werror" \
	no_warnings "$LOG/mpudpctl.log" make -s -C tools/mpudpctl mpudpctl test_parse
host_test "the selftests' helpers build with -Wall -Wextra -Werror" \
	no_warnings "$LOG/selftests.log" make -s -C selftests
tools/mpudpctl/test_parse | ktap_merge
/usr/bin/python3 selftests/uapi_spec.py | ktap_merge
/usr/bin/python3 selftests/bench_summary.py | ktap_merge
/usr/bin/python3 selftests/bench_events.py | ktap_merge

# The module of the first kernel is the one ./mpudp.ko points to.
make -s module KERNEL="${kernels[0]}" > /dev/null 2>&1

first=1
for k in "${kernels[@]}"; do
	abi=$(tools/kernel.sh abi "$k")
	tier=all
	[ $first = 1 ] || tier=control
	first=0
	echo "# VM tests on Linux $abi ($tier)"
	# shellcheck disable=SC2086
	MPUDP_KO=$TOP/build/$abi/release/mpudp/mpudp.ko \
	MPUDP_DEBUG_KO=$TOP/build/$abi/debug/mpudp/mpudp.ko \
		tools/vm/run -k "$k" -t 3000 -l "$LOG/console-$k.log" -- \
		selftests/run_vm.sh --tier "$tier" ${CHECK_TESTS:-} | tee "$LOG/vm-$k.log"
	rc=${PIPESTATUS[0]}
	if [ "$rc" != 0 ] && ! grep -q '^not ok' "$LOG/vm-$k.log"; then
		echo "not ok - the VM run on Linux $k failed (exit $rc, console in $LOG/console-$k.log)" |
			tee -a "$LOG/vm-$k.log"
	fi
done

cat "$LOG"/host.log "$LOG"/vm-*.log > "$LOG/all.log"
pass=$(grep -E '^ok ' "$LOG/all.log" | grep -vc '# SKIP')
skip=$(grep -E '^ok .*# SKIP' -c "$LOG/all.log")
fail=$(grep -Ec '^not ok' "$LOG/all.log")
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
