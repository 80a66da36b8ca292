/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MPUDP_ROUTE_H
#define _MPUDP_ROUTE_H

#include <linux/skbuff.h>

#include "tunnel.h"

struct mpudp_path;
struct net;

struct dst_entry *mpudp_route(struct net *net, struct mpudp_path *p,
			      union mpudp_ip *saddr);

#endif /* _MPUDP_ROUTE_H */
