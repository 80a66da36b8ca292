#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Second stage of the MPUDP test VM, run by tools/vm/init once the host's root
# file system is the root. Runs the command tools/vm/run wrote into the
# results directory and records its exit status and the kernel log there.

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp TMPDIR=/tmp LANG=C.UTF-8 TERM=${TERM:-dumb}
out=$MPUDP_OUT

hostname mpudp-vm
# What udev would make: bash's <(...) needs /dev/fd.
ln -sfn /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
ip link set lo up
sysctl -qw kernel.panic_on_warn="${MPUDP_PANIC_ON_WARN:-0}"
modprobe -q virtio_rng 2>/dev/null
mount -t debugfs none /sys/kernel/debug 2>/dev/null

# stuck_report: for a command that is about to time out, the kernel stacks
# of the blocked tasks and of every CPU on the console, then what every
# process is doing. The kernel's part first, by builtins only: a hang of the
# host's file system (9p) would stop anything that has to be loaded.
stuck_report()
{
	local up

	# (tools/vm/run leaves these stacks out of its search for errors.)
	echo "mpudp-vm: stuck report begins" > /dev/kmsg
	echo w > /proc/sysrq-trigger
	echo l > /proc/sysrq-trigger
	echo "mpudp-vm: stuck report ends" > /dev/kmsg
	read -r up _ < /proc/uptime
	echo "mpudp-vm: the command still runs after ${up%.*} s of uptime (blocked tasks: on the console); the processes:"
	ps -eo pid,ppid,stat,etimes,wchan:28,args --sort=pid | grep -v ' \[.*\]$'
}

# shellcheck source=/dev/null
. "$out/env"
# Shortly before tools/vm/run's timeout, report what hangs: a frozen run
# otherwise ends with nothing but "timeout".
if [ "${MPUDP_TIMEOUT:-0}" -gt 180 ]; then
	(sleep $((MPUDP_TIMEOUT - 90)) && stuck_report) </dev/null >/dev/ttyS1 2>&1 &
	watchdog=$!
fi
cd "$MPUDP_CWD" || exit 1
# The command talks over the second serial port; the first is the console.
if [ "${MPUDP_INTERACTIVE:-0}" = 1 ]; then
	stty -F /dev/ttyS1 sane
	setsid -c "${MPUDP_CMD[@]}" <>/dev/ttyS1 >&0 2>&1
else
	stty -F /dev/ttyS1 raw -echo
	"${MPUDP_CMD[@]}" </dev/null >/dev/ttyS1 2>&1
fi
rc=$?
[ -z "${watchdog:-}" ] || kill "$watchdog" 2>/dev/null
echo $rc > "$out/rc.tmp"
dmesg > "$out/dmesg"
mv "$out/rc.tmp" "$out/rc"
sync
