#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Installs what building, testing and demonstrating MPUDP need, from Debian's
# mirror, and fetches the test kernels into .cache/ (tools/kernel.sh). Safe to
# run again: it installs only what is missing. Run as root on Debian 12.
#
# usage: tools/deps.sh [SERIES...]    (default: every supported kernel series)
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Build: the module (gcc, make, pahole for 6.12's BTF), mpudpctl (libmnl).
# VM: qemu, busybox, cpio, kmod, xz/zstd for compressed modules.
# Tools the guest borrows from the host: iproute2 ... mptcpize, python3.
# Plots of the benchmarks: gnuplot.
# Checks: sparse, python3-yaml (uAPI spec), linux-source-6.1 (checkpatch.pl).
PACKAGES="gcc make pkg-config libmnl-dev pahole
	qemu-system-x86 busybox-static cpio kmod xz-utils zstd
	iproute2 iputils-ping ethtool curl iperf3 jq wireguard-tools openvpn
	mptcpd mptcpize python3 util-linux procps gnuplot-nox
	sparse python3-yaml linux-source-6.1"

missing=()
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "deps.sh: run as root to install: ${missing[*]}" >&2
		exit 1
	fi
	echo "deps.sh: installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# checkpatch.pl and its data files, from the kernel source package.
cp_dir=$TOP/.cache/checkpatch
if [ ! -f "$cp_dir/checkpatch.pl" ]; then
	mkdir -p "$cp_dir"
	tar -xJf /usr/src/linux-source-6.1.tar.xz -C "$cp_dir" --strip-components=2 \
		linux-source-6.1/scripts/checkpatch.pl \
		linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch
fi

series=("$@")
[ ${#series[@]} -gt 0 ] || read -r -a series <<< "$("$TOP/tools/kernel.sh" series)"
for s in "${series[@]}"; do
	"$TOP/tools/kernel.sh" fetch "$s"
done
