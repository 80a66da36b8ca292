// SPDX-License-Identifier: GPL-2.0
/*
 * Paths of a tunnel. Like tunnels, they change under the namespace's lock and
 * are read by the data path under RCU: the tunnel's path list is an RCU list,
 * and every path is in the namespace's receive table, keyed by its 4-tuple
 * (local address all zero when routing chooses it).
 */

#include <linux/bitops.h>
#include <linux/netdevice.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/stringify.h>
#include <net/netlink.h>
#include <uapi/linux/mpudp.h>

#include "monitor.h"
#include "netns.h"
#include "path.h"

static_assert(MPUDP_MAX_PATHS <= BITS_PER_LONG);

static const struct rhashtable_params mpudp_path_params = {
	.key_len	= sizeof(struct mpudp_tuple),
	.key_offset	= offsetof(struct mpudp_path, tuple),
	.head_offset	= offsetof(struct mpudp_path, rx_node),
	.automatic_shrinking = true,
};

int mpudp_path_table_init(struct mpudp_net *mn)
{
	return rhashtable_init(&mn->paths, &mpudp_path_params);
}

void mpudp_path_table_destroy(struct mpudp_net *mn)
{
	WARN_ON_ONCE(atomic_read(&mn->paths.nelems));
	rhashtable_destroy(&mn->paths);
}

/*
 * The path a received datagram came on: @key is its 4-tuple as this host
 * sees it. A path with a local address matches first, then one whose local
 * address is left to routing. Must be called under RCU; @key is changed.
 */
struct mpudp_path *mpudp_path_lookup_rx(struct mpudp_net *mn,
					struct mpudp_tuple *key)
{
	struct mpudp_path *p;

	p = rhashtable_lookup(&mn->paths, key, mpudp_path_params);
	if (p)
		return p;
	memset(&key->local, 0, sizeof(key->local));
	return rhashtable_lookup(&mn->paths, key, mpudp_path_params);
}

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

static struct mpudp_path *path_alloc(struct mpudp_tunnel *t,
				     const struct mpudp_path_cfg *cfg, u8 id)
{
	struct mpudp_path *p;

	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p)
		return NULL;
	p->pcpu = netdev_alloc_pcpu_stats(struct mpudp_path_pcpu);
	if (!p->pcpu)
		goto err;
	if (dst_cache_init(&p->dst_cache, GFP_KERNEL_ACCOUNT))
		goto err_pcpu;
	p->tunnel = t;
	p->tuple = cfg->tuple;
	p->ifindex = cfg->ifindex;
	p->id = id;
	p->weight = cfg->weight;
	p->flags = cfg->flags;
	p->rate_cap = cfg->rate_cap;
	mpudp_mon_path_init(p);
	return p;

err_pcpu:
	free_percpu(p->pcpu);
err:
	kfree(p);
	return NULL;
}

static void path_free(struct mpudp_path *p)
{
	dst_cache_destroy(&p->dst_cache);
	free_percpu(p->pcpu);
	kfree(p);
}

struct mpudp_path *mpudp_path_create(struct mpudp_tunnel *t,
				     const struct mpudp_path_cfg *cfg,
				     struct netlink_ext_ack *extack)
{
	struct mpudp_net *mn = t->mn;
	struct list_head *pos = &t->paths;
	struct mpudp_path *p, *q;
	unsigned int id;
	int err;

	lockdep_assert_held(&mn->lock);

	if (rhashtable_lookup_fast(&mn->paths, &cfg->tuple, mpudp_path_params)) {
		NL_SET_ERR_MSG(extack, "A path with these addresses and ports exists");
		return ERR_PTR(-EEXIST);
	}
	id = find_first_zero_bit(&t->path_ids, MPUDP_MAX_PATHS);
	if (id >= MPUDP_MAX_PATHS) {
		NL_SET_ERR_MSG(extack, "A tunnel has at most "
			       __stringify(MPUDP_MAX_PATHS) " paths");
		return ERR_PTR(-ENOSPC);
	}

	p = path_alloc(t, cfg, id + 1);
	if (!p)
		return ERR_PTR(-ENOMEM);
	err = rhashtable_insert_fast(&mn->paths, &p->rx_node, mpudp_path_params);
	if (err) {
		path_free(p);
		return ERR_PTR(err);
	}
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
	mpudp_net_changed(mn);
	/* Probe the new path at once. */
	mpudp_mon_kick(t);
	return p;
}

static void path_free_work(struct work_struct *work)
{
	path_free(container_of(to_rcu_work(work), struct mpudp_path, free_work));
	mpudp_objects_dec();
}

void mpudp_path_remove(struct mpudp_path *p)
{
	struct mpudp_tunnel *t = p->tunnel;
	struct mpudp_net *mn = t->mn;

	lockdep_assert_held(&mn->lock);

	rhashtable_remove_fast(&mn->paths, &p->rx_node, mpudp_path_params);
	list_del_rcu(&p->node);
	__clear_bit(p->id - 1, &t->path_ids);
	t->n_paths--;
	mpudp_net_changed(mn);
	/* After a grace period no hook, timer or scheduler can hold it. */
	INIT_RCU_WORK(&p->free_work, path_free_work);
	queue_rcu_work(mpudp_wq(), &p->free_work);
}

/*
 * Whether a scheduler may send on @p now: a path with a device needs it up,
 * with a carrier. Must be called under RCU.
 */
bool mpudp_path_usable(const struct mpudp_path *p)
{
	struct net_device *dev;

	if (!p->ifindex)
		return true;
	dev = dev_get_by_index_rcu(p->tunnel->mn->net, p->ifindex);
	return dev && netif_running(dev) && netif_carrier_ok(dev);
}

void mpudp_path_set(struct mpudp_path *p, u32 weight, u32 flags,
		    u64 rate_cap)
{
	lockdep_assert_held(&p->tunnel->mn->lock);

	WRITE_ONCE(p->weight, weight);
	WRITE_ONCE(p->flags, flags);
	WRITE_ONCE(p->rate_cap, rate_cap);
	mpudp_net_changed(p->tunnel->mn);
}

void mpudp_path_read_pcpu(const struct mpudp_path *p,
			  struct mpudp_path_counters *sum)
{
	const struct mpudp_path_pcpu *s;
	u64 txp, txb, rxp, rxb;
	unsigned int start;
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		s = per_cpu_ptr(p->pcpu, cpu);
		do {
			start = u64_stats_fetch_begin(&s->syncp);
			txp = u64_stats_read(&s->tx_packets);
			txb = u64_stats_read(&s->tx_bytes);
			rxp = u64_stats_read(&s->rx_packets);
			rxb = u64_stats_read(&s->rx_bytes);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		sum->tx_packets += txp;
		sum->tx_bytes += txb;
		sum->rx_packets += rxp;
		sum->rx_bytes += rxb;
	}
}
