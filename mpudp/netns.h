/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MPUDP_NETNS_H
#define _MPUDP_NETNS_H

#include <linux/idr.h>
#include <linux/mutex.h>
#include <linux/rhashtable-types.h>
#include <net/net_namespace.h>

/* Most tunnels one network namespace can hold. */
#define MPUDP_MAX_TUNNELS	65536

/**
 * struct mpudp_net - the MPUDP state of one network namespace
 * @net: the namespace
 * @lock: serialises every configuration change in this namespace; protects
 *	all the fields below and the tunnels' and paths' configuration
 * @tunnel_ids: tunnel id -> tunnel; lookups under RCU or @lock
 * @tunnels: primary 4-tuple -> tunnel; lookups under RCU or @lock
 * @paths: 4-tuple of a path -> path, for received datagrams; as @tunnels
 * @n_tunnels: number of tunnels in @tunnel_ids
 * @hooks: whether the netfilter hooks are registered (while there are
 *	tunnels)
 * @gen: bumped on every change, so that dumps can flag NLM_F_DUMP_INTR
 */
struct mpudp_net {
	struct net *net;
	struct mutex lock; /* see above */
	struct idr tunnel_ids;
	struct rhashtable tunnels;
	struct rhashtable paths;
	unsigned int n_tunnels;
	bool hooks;
	unsigned int gen;
};

struct mpudp_net *mpudp_net(const struct net *net);
void mpudp_net_changed(struct mpudp_net *mn);

int mpudp_netns_init(void);
void mpudp_netns_uninit(void);

#endif /* _MPUDP_NETNS_H */
