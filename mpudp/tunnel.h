/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MPUDP_TUNNEL_H
#define _MPUDP_TUNNEL_H

#include <linux/in6.h>
#include <linux/list.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock_types.h>
#include <linux/types.h>

struct mpudp_net;
struct mpudp_sched_ops;
struct netlink_ext_ack;

union mpudp_ip {
	__be32 v4;
	struct in6_addr v6;
};

/**
 * struct mpudp_tuple - a UDP 4-tuple as this host sees it
 * @local: local address; all zero when a path leaves it to routing
 * @remote: remote address
 * @local_port: local UDP port
 * @remote_port: remote UDP port
 * @family: AF_INET or AF_INET6
 * @zero: always 0, so that the struct has no hole (it is a hash key)
 */
struct mpudp_tuple {
	union mpudp_ip local;
	union mpudp_ip remote;
	__be16 local_port;
	__be16 remote_port;
	u16 family;
	u16 zero;
};

/**
 * struct mpudp_tunnel - the VPN's primary 4-tuple and its paths
 * @node: in mpudp_net.tunnels, keyed by @tuple
 * @tuple: the primary 4-tuple; immutable
 * @id: the id in mpudp_net.tunnel_ids; immutable
 * @mn: the namespace's state
 * @sched: the scheduler; written under mn->lock, read under RCU
 * @paths: the paths, in id order; an RCU list written under mn->lock
 * @n_paths: number of @paths; mn->lock
 * @path_ids: bitmap of the path ids in use (bit 0 is id 1); mn->lock
 * @sched_lock: serialises the scheduler's per-packet state
 * @rcu: frees the tunnel after a grace period
 */
struct mpudp_tunnel {
	struct rhash_head node;
	struct mpudp_tuple tuple;
	u32 id;
	struct mpudp_net *mn;
	const struct mpudp_sched_ops __rcu *sched;
	struct list_head paths;
	unsigned int n_paths;
	unsigned long path_ids;
	spinlock_t sched_lock; /* see above */
	struct rcu_head rcu;
};

struct mpudp_tunnel *mpudp_tunnel_create(struct mpudp_net *mn,
					 const struct mpudp_tuple *tuple,
					 const struct mpudp_sched_ops *sched,
					 struct netlink_ext_ack *extack);
void mpudp_tunnel_remove(struct mpudp_tunnel *t);
void mpudp_tunnel_remove_all(struct mpudp_net *mn);
struct mpudp_tunnel *mpudp_tunnel_find(struct mpudp_net *mn, u32 id);
struct mpudp_tunnel *mpudp_tunnel_lookup(struct mpudp_net *mn,
					 const struct mpudp_tuple *tuple);
void mpudp_tunnel_set_sched(struct mpudp_tunnel *t,
			    const struct mpudp_sched_ops *sched);
const struct mpudp_sched_ops *mpudp_tunnel_sched(struct mpudp_tunnel *t);

int mpudp_tunnel_table_init(struct mpudp_net *mn);
void mpudp_tunnel_table_destroy(struct mpudp_net *mn);

bool mpudp_objects_leaked(void);
void mpudp_objects_inc(void);
void mpudp_objects_dec(void);

#endif /* _MPUDP_TUNNEL_H */
