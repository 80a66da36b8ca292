#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench`: installs what is missing, builds, and runs
# tools/bench-guest.sh in the VM. Results go to bench/results/<date>-<commit>/
# (bench.md, bench.csv) and to the terminal. Takes about 45 minutes.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$TOP"
KERNEL=${KERNEL:-6.1}
tools/deps.sh "$KERNEL"
make -s module mpudpctl KERNEL="$KERNEL" > /dev/null
out=$TOP/bench/results/$(date -u +%Y-%m-%d)-$(git -C "$TOP" describe --always 2>/dev/null || echo unknown)
mkdir -p "$out"
BENCH_OUT=$out tools/vm/run -k "$KERNEL" -t 3600 -o "$out" -- tools/bench-guest.sh
{
	echo
	echo "Host: $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) cores;"
	echo "$(qemu-system-x86_64 --version | head -n 1); MPUDP $(git -C "$TOP" describe --always --dirty 2>/dev/null)."
} >> "$out/bench.md"
echo "Results in $out"
