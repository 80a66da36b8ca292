/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MPUDP_NETLINK_H
#define _MPUDP_NETLINK_H

int mpudp_genl_init(void);
void mpudp_genl_uninit(void);

#endif /* _MPUDP_NETLINK_H */
