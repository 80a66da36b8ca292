#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Kernel coding style of the module and the uAPI header: checkpatch.pl from
# linux-source-6.1 (tools/deps.sh extracts it), --strict, with codespell when
# it is installed. Strings are never split to fit 100 columns (so that they
# can be grepped), compat.h is the one place that tests kernel versions, and
# trace.h is laid out as the kernel's trace event headers are.
# Prints checkpatch's findings and exits non-zero if there are any.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CHECKPATCH=${CHECKPATCH:-$TOP/.cache/checkpatch/checkpatch.pl}
cd "$TOP"

[ -f "$CHECKPATCH" ] || tools/deps.sh >&2
opts=(--no-tree --strict --terse --show-types --quiet --ignore LONG_LINE_STRING)
command -v codespell > /dev/null && opts+=(--codespell)

rc=0
for f in mpudp/*.c mpudp/*.h mpudp/selftest/*.c include/uapi/linux/mpudp.h; do
	extra=()
	[ "$f" = mpudp/compat.h ] && extra=(--ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON)
	# The layout of the kernel's own trace event headers.
	[ "$f" = mpudp/trace.h ] && extra=(--ignore OPEN_ENDED_LINE,PARENTHESIS_ALIGNMENT)
	perl "$CHECKPATCH" "${opts[@]}" "${extra[@]}" -f "$f" | grep -v "^total: 0 errors, 0 warnings, 0 checks" || true
	[ "${PIPESTATUS[0]}" = 0 ] || rc=1
done
exit $rc
