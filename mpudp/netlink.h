/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MPUDP_NETLINK_H
#define _MPUDP_NETLINK_H

struct mpudp_path;
struct mpudp_tunnel;

int mpudp_genl_init(void);
void mpudp_nl_notify_path(struct mpudp_path *p);
void mpudp_nl_notify_tunnel(struct mpudp_tunnel *t);
void mpudp_genl_uninit(void);

#endif /* _MPUDP_NETLINK_H */
