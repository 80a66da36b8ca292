/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MPUDP_PATH_H
#define _MPUDP_PATH_H

#include "tunnel.h"

/**
 * struct mpudp_path - one way from this host to the tunnel's peer
 * @node: in mpudp_tunnel.paths
 * @tunnel: the tunnel; immutable
 * @tuple: the path's 4-tuple (local address all zero: chosen by routing);
 *	immutable
 * @ifindex: output device, 0 to leave it to routing; immutable
 * @id: 1 to MPUDP_MAX_PATHS, unique in the tunnel; immutable
 * @weight: split ratio for the weighted scheduler; written under the
 *	namespace's lock, read with READ_ONCE()
 * @flags: enum mpudp_path_flags; as @weight
 * @sched_credit: scheduler state; under the tunnel's sched_lock
 * @rcu: frees the path after a grace period
 */
struct mpudp_path {
	struct list_head node;
	struct mpudp_tunnel *tunnel;
	struct mpudp_tuple tuple;
	int ifindex;
	u8 id;
	u32 weight;
	u32 flags;
	s32 sched_credit;
	struct rcu_head rcu;
};

/**
 * struct mpudp_path_cfg - what a new path is made of
 * @tuple: as struct mpudp_path
 * @ifindex: as struct mpudp_path
 * @weight: as struct mpudp_path
 * @flags: as struct mpudp_path
 */
struct mpudp_path_cfg {
	struct mpudp_tuple tuple;
	int ifindex;
	u32 weight;
	u32 flags;
};

struct mpudp_path *mpudp_path_create(struct mpudp_tunnel *t,
				     const struct mpudp_path_cfg *cfg,
				     struct netlink_ext_ack *extack);
void mpudp_path_remove(struct mpudp_path *p);
struct mpudp_path *mpudp_path_find(struct mpudp_tunnel *t, u32 id);
void mpudp_path_set(struct mpudp_path *p, u32 weight, u32 flags);

#endif /* _MPUDP_PATH_H */
