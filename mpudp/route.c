// SPDX-License-Identifier: GPL-2.0
/*
 * The route of a path: a lookup from the path's own addresses and device, so
 * that a path leaves through its uplink without policy routing rules. With a
 * device and no route through it, the kernel takes the remote address as
 * on-link there. The result is cached per path (dst_cache), and looked up
 * again when routing changes.
 */

#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/route.h>

#include "path.h"
#include "route.h"

static struct dst_entry *route4(struct net *net, struct mpudp_path *p,
				union mpudp_ip *saddr)
{
	struct flowi4 fl4 = {
		.daddr = p->tuple.remote.v4,
		.saddr = p->tuple.local.v4,
		.flowi4_oif = p->ifindex,
		.flowi4_proto = IPPROTO_UDP,
		.fl4_sport = p->tuple.local_port,
		.fl4_dport = p->tuple.remote_port,
	};
	struct rtable *rt;

	rt = dst_cache_get_ip4(&p->dst_cache, &saddr->v4);
	if (rt)
		return &rt->dst;
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return ERR_CAST(rt);
	saddr->v4 = fl4.saddr;
	dst_cache_set_ip4(&p->dst_cache, &rt->dst, fl4.saddr);
	return &rt->dst;
}

static struct dst_entry *route6(struct net *net, struct mpudp_path *p,
				union mpudp_ip *saddr)
{
	struct flowi6 fl6 = {
		.daddr = p->tuple.remote.v6,
		.saddr = p->tuple.local.v6,
		.flowi6_oif = p->ifindex,
		.flowi6_proto = IPPROTO_UDP,
		.fl6_sport = p->tuple.local_port,
		.fl6_dport = p->tuple.remote_port,
	};
	struct dst_entry *dst;

	dst = dst_cache_get_ip6(&p->dst_cache, &saddr->v6);
	if (dst)
		return dst;
	dst = ip6_dst_lookup_flow(net, NULL, &fl6, NULL);
	if (IS_ERR(dst))
		return dst;
	saddr->v6 = fl6.saddr;
	dst_cache_set_ip6(&p->dst_cache, dst, &fl6.saddr);
	return dst;
}

/*
 * Returns the route of @p with a reference held, and in @saddr the source
 * address to use, or an ERR_PTR.
 */
struct dst_entry *mpudp_route(struct net *net, struct mpudp_path *p,
			      union mpudp_ip *saddr)
{
	if (p->tuple.family == AF_INET)
		return route4(net, p, saddr);
	return route6(net, p, saddr);
}
