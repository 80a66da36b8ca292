// SPDX-License-Identifier: GPL-2.0
/*
 * Paths of a tunnel. Like tunnels, they change under the namespace's lock and
 * are read by the data path under RCU: the tunnel's path list is an RCU list.
 */

#include <linux/bitops.h>
#include <linux/slab.h>
#include <linux/stringify.h>
#include <net/netlink.h>
#include <uapi/linux/mpudp.h>

#include "netns.h"
#include "path.h"

static_assert(MPUDP_MAX_PATHS <= BITS_PER_LONG);

/* Must be called with RCU read lock or the namespace's lock held. */
struct mpudp_path *mpudp_path_find(struct mpudp_tunnel *t, u32 id)
{
	struct mpudp_path *p;

	list_for_each_entry_rcu(p, &t->paths, node,
				lockdep_is_held(&t->mn->lock))
		if (p->id == id)
			return p;
	return NULL;
}

static bool path_same_endpoints(const struct mpudp_path *p,
				const struct mpudp_path_cfg *cfg)
{
	return p->ifindex == cfg->ifindex &&
	       !memcmp(&p->tuple, &cfg->tuple, sizeof(p->tuple));
}

struct mpudp_path *mpudp_path_create(struct mpudp_tunnel *t,
				     const struct mpudp_path_cfg *cfg,
				     struct netlink_ext_ack *extack)
{
	struct list_head *pos = &t->paths;
	struct mpudp_path *p, *q;
	unsigned int id;

	lockdep_assert_held(&t->mn->lock);

	list_for_each_entry(q, &t->paths, node) {
		if (path_same_endpoints(q, cfg)) {
			NL_SET_ERR_MSG(extack, "A path with these addresses, ports and device exists in this tunnel");
			return ERR_PTR(-EEXIST);
		}
	}
	id = find_first_zero_bit(&t->path_ids, MPUDP_MAX_PATHS);
	if (id >= MPUDP_MAX_PATHS) {
		NL_SET_ERR_MSG(extack, "A tunnel has at most "
			       __stringify(MPUDP_MAX_PATHS) " paths");
		return ERR_PTR(-ENOSPC);
	}

	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p)
		return ERR_PTR(-ENOMEM);
	p->tunnel = t;
	p->tuple = cfg->tuple;
	p->ifindex = cfg->ifindex;
	p->id = id + 1;
	p->weight = cfg->weight;
	p->flags = cfg->flags;

	/* Keep the list in id order, for stable dumps. */
	list_for_each_entry(q, &t->paths, node) {
		if (q->id > p->id) {
			pos = &q->node;
			break;
		}
	}
	list_add_tail_rcu(&p->node, pos);
	__set_bit(id, &t->path_ids);
	t->n_paths++;
	mpudp_objects_inc();
	mpudp_net_changed(t->mn);
	return p;
}

static void path_free_rcu(struct rcu_head *rcu)
{
	kfree(container_of(rcu, struct mpudp_path, rcu));
	mpudp_objects_dec();
}

void mpudp_path_remove(struct mpudp_path *p)
{
	struct mpudp_tunnel *t = p->tunnel;

	lockdep_assert_held(&t->mn->lock);

	list_del_rcu(&p->node);
	__clear_bit(p->id - 1, &t->path_ids);
	t->n_paths--;
	mpudp_net_changed(t->mn);
	call_rcu(&p->rcu, path_free_rcu);
}

void mpudp_path_set(struct mpudp_path *p, u32 weight, u32 flags)
{
	lockdep_assert_held(&p->tunnel->mn->lock);

	WRITE_ONCE(p->weight, weight);
	WRITE_ONCE(p->flags, flags);
	mpudp_net_changed(p->tunnel->mn);
}
