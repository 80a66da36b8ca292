/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The only place where MPUDP looks at the kernel version. Floor: Linux 6.1.
 */
#ifndef _MPUDP_COMPAT_H
#define _MPUDP_COMPAT_H

#include <linux/version.h>
#include <net/genetlink.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "MPUDP needs Linux 6.1 or later"
#endif

/* Attributes of a dump request, as parsed by the genetlink core. */
static inline struct nlattr **mpudp_dump_attrs(struct netlink_callback *cb)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

#endif /* _MPUDP_COMPAT_H */
