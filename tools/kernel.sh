#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernels MPUDP is built and tested against, in one place.
#
# A kernel is named by its series: "6.1" (Debian 12) or "6.12" (bookworm-backports).
# The concrete ABI (e.g. 6.1.0-56-amd64) is resolved from Debian's linux-image-amd64
# metapackage, because the mirror moves. Images, modules and headers are downloaded
# and extracted into a cache directory; nothing is installed on the host.
#
# Usage: tools/kernel.sh abi SERIES      print the ABI (resolving it if not cached)
#        tools/kernel.sh fetch SERIES    download and extract image, modules, headers
#        tools/kernel.sh kdir SERIES     print the headers directory for KDIR=
#        tools/kernel.sh dir SERIES      print the cache directory of that kernel
#        tools/kernel.sh series          print the supported series
set -euo pipefail

SUPPORTED_SERIES="6.1 6.12"
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${MPUDP_CACHE:-$TOP/.cache}

die() { echo "kernel.sh: $*" >&2; exit 1; }

check_series() {
	local s
	for s in $SUPPORTED_SERIES; do [ "$s" = "$1" ] && return 0; done
	die "unknown kernel series '$1' (supported: $SUPPORTED_SERIES)"
}

ensure_backports() {
	local list=/etc/apt/sources.list.d/mpudp-bookworm-backports.list
	grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/ && return 0
	echo "deb http://deb.debian.org/debian bookworm-backports main" > "$list"
	apt-get update -qq
}

# Highest version of the linux-image-amd64 metapackage in SERIES.
meta_version() {
	apt-cache madison linux-image-amd64 | awk -F'|' '{gsub(/ /, "", $2); print $2}' |
		grep "^$1\." | sort -V | tail -n 1
}

resolve_abi() {
	local series=$1 ver dep
	[ "$series" = 6.1 ] || ensure_backports
	ver=$(meta_version "$series")
	if [ -z "$ver" ]; then
		apt-get update -qq
		ver=$(meta_version "$series")
	fi
	[ -n "$ver" ] || die "no linux-image-amd64 of series $series on the mirror"
	dep=$(apt-cache depends "linux-image-amd64=$ver" | awk '/Depends: linux-image-/ {print $2; exit}')
	[ -n "$dep" ] || die "cannot resolve the ABI of linux-image-amd64=$ver"
	echo "${dep#linux-image-}"
}

abi() {
	local f=$CACHE/kernel-$1.abi
	check_series "$1"
	if [ ! -s "$f" ]; then
		mkdir -p "$CACHE"
		resolve_abi "$1" > "$f.tmp"
		mv "$f.tmp" "$f"
	fi
	cat "$f"
}

kdir() {
	local a
	a=$(abi "$1")
	echo "$CACHE/kernels/$a/usr/src/linux-headers-$a"
}

# Debian's arch headers include the common headers by absolute path
# (/usr/src/...). Include them relative to the arch headers' Makefile
# instead, so that the cache works wherever it is: extracted here, moved,
# or hard-linked into another clone (cp -al). fetch() (make's "kernel"
# target, before every build) also repairs a cache whose Makefile still
# names another place. sed -i writes a new file, so a
# hard-linked cache elsewhere keeps its own.
relocate() {
	local a=$1 mk
	mk=$CACHE/kernels/$a/usr/src/linux-headers-$a/Makefile
	[ -f "$mk" ] || return 0
	grep -q '^include /' "$mk" || return 0
	sed -i 's|^include /.*/\(linux-headers-[^/]*\)/Makefile$|include $(dir $(lastword $(MAKEFILE_LIST)))../\1/Makefile|' "$mk"
}

# Packages (image and headers, with the headers' own linux-* dependencies).
packages() {
	local a=$1 p
	if apt-cache show "linux-image-$a-unsigned" >/dev/null 2>&1; then
		echo "linux-image-$a-unsigned"
	else
		echo "linux-image-$a"
	fi
	echo "linux-headers-$a"
	apt-cache depends "linux-headers-$a" |
		awk '/Depends: linux-(headers|kbuild)-/ {print $2}' | sort -u
}

fetch() {
	local a d f dl
	a=$(abi "$1")
	d=$CACHE/kernels/$a
	if [ -f "$d/.complete" ]; then
		relocate "$a"
		return 0
	fi
	[ "$1" = 6.1 ] || ensure_backports
	rm -rf "$d" "$d.dl"
	mkdir -p "$d.dl" "$d"
	dl=$(cd "$d.dl" && pwd)
	# apt's _apt user must be able to write the download directory.
	chmod 777 "$dl"
	echo "kernel.sh: downloading Linux $a into $d" >&2
	(cd "$dl" && apt-get download -q $(packages "$a") 2>&1 | grep -v '^W: Download is performed unsandboxed' >&2) ||
		die "download of Linux $a failed"
	for f in "$dl"/*.deb; do
		dpkg -x "$f" "$d"
	done
	rm -rf "$dl"
	relocate "$a"
	depmod -b "$d" "$a"
	ln -sf "boot/vmlinuz-$a" "$d/vmlinuz"
	touch "$d/.complete"
}

cmd=${1:-}
[ $# -ge 1 ] && shift
case "$cmd" in
abi)	abi "${1:?series}" ;;
kdir)	kdir "${1:?series}" ;;
fetch)	check_series "${1:?series}"; fetch "$1" ;;
dir)	echo "$CACHE/kernels/$(abi "${1:?series}")" ;;
series)	echo "$SUPPORTED_SERIES" ;;
*)	sed -n '2,/^set /p' "$0" | sed -n 's/^# \{0,1\}//p' >&2; exit 2 ;;
esac
