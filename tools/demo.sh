#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`: installs what is missing, builds, boots a VM and shows MPUDP
# at work there (tools/demo-guest.sh is what runs inside): WireGuard on one
# emulated uplink, then over two with MPUDP, with the goodput of each.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$TOP"
KERNEL=${KERNEL:-6.1}
tools/deps.sh "$KERNEL"
make -s module mpudpctl KERNEL="$KERNEL" > /dev/null
exec tools/vm/run -k "$KERNEL" -t 1200 -- tools/demo-guest.sh
