// SPDX-License-Identifier: GPL-2.0
/*
 * Tunnels: the VPN's primary UDP 4-tuple, its scheduler and its paths.
 *
 * Configuration changes hold the namespace's lock (mpudp_net.lock); the data
 * path finds tunnels under RCU only, through the 4-tuple hash table. A removed
 * tunnel is unlinked from both lookup structures, then freed after an RCU
 * grace period, so a reader that found it may keep using it until it leaves
 * its read-side critical section.
 */

#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "netns.h"
#include "path.h"
#include "sched.h"
#include "tunnel.h"

static_assert(sizeof(struct mpudp_tuple) == 2 * sizeof(struct in6_addr) + 8);

/* Tunnels and paths alive in all namespaces: must be 0 once the module exits. */
static atomic_t mpudp_objects = ATOMIC_INIT(0);

void mpudp_objects_inc(void)
{
	atomic_inc(&mpudp_objects);
}

void mpudp_objects_dec(void)
{
	atomic_dec(&mpudp_objects);
}

bool mpudp_objects_leaked(void)
{
	return atomic_read(&mpudp_objects) != 0;
}

static const struct rhashtable_params mpudp_tunnel_params = {
	.key_len	= sizeof(struct mpudp_tuple),
	.key_offset	= offsetof(struct mpudp_tunnel, tuple),
	.head_offset	= offsetof(struct mpudp_tunnel, node),
	.automatic_shrinking = true,
};

int mpudp_tunnel_table_init(struct mpudp_net *mn)
{
	return rhashtable_init(&mn->tunnels, &mpudp_tunnel_params);
}

/* Called when the namespace goes away, after every tunnel was removed. */
void mpudp_tunnel_table_destroy(struct mpudp_net *mn)
{
	WARN_ON_ONCE(atomic_read(&mn->tunnels.nelems));
	rhashtable_destroy(&mn->tunnels);
}

/* Must be called with RCU read lock or mn->lock held. */
struct mpudp_tunnel *mpudp_tunnel_lookup(struct mpudp_net *mn,
					 const struct mpudp_tuple *tuple)
{
	return rhashtable_lookup_fast(&mn->tunnels, tuple, mpudp_tunnel_params);
}

/* Must be called with RCU read lock or mn->lock held. */
struct mpudp_tunnel *mpudp_tunnel_find(struct mpudp_net *mn, u32 id)
{
	return idr_find(&mn->tunnel_ids, id);
}

const struct mpudp_sched_ops *mpudp_tunnel_sched(struct mpudp_tunnel *t)
{
	return rcu_dereference_protected(t->sched,
					 lockdep_is_held(&t->mn->lock));
}

struct mpudp_tunnel *mpudp_tunnel_create(struct mpudp_net *mn,
					 const struct mpudp_tuple *tuple,
					 const struct mpudp_sched_ops *sched,
					 struct netlink_ext_ack *extack)
{
	struct mpudp_tunnel *t;
	int err, id;

	lockdep_assert_held(&mn->lock);

	if (mpudp_tunnel_lookup(mn, tuple)) {
		NL_SET_ERR_MSG(extack, "A tunnel with this local and remote address and port exists");
		return ERR_PTR(-EEXIST);
	}
	if (mn->n_tunnels >= MPUDP_MAX_TUNNELS) {
		NL_SET_ERR_MSG(extack, "Too many tunnels in this network namespace");
		return ERR_PTR(-ENOSPC);
	}

	t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		return ERR_PTR(-ENOMEM);
	t->tuple = *tuple;
	t->mn = mn;
	INIT_LIST_HEAD(&t->paths);
	spin_lock_init(&t->sched_lock);
	mpudp_sched_get(sched);
	RCU_INIT_POINTER(t->sched, sched);

	id = idr_alloc_cyclic(&mn->tunnel_ids, NULL, 1, INT_MAX, GFP_KERNEL_ACCOUNT);
	if (id < 0) {
		err = id;
		goto err_sched;
	}
	t->id = id;
	err = rhashtable_insert_fast(&mn->tunnels, &t->node, mpudp_tunnel_params);
	if (err)
		goto err_id;
	/* Published last: a reader that finds the id finds a whole tunnel. */
	idr_replace(&mn->tunnel_ids, t, id);
	mn->n_tunnels++;
	mpudp_objects_inc();
	mpudp_net_changed(mn);
	return t;

err_id:
	idr_remove(&mn->tunnel_ids, id);
err_sched:
	mpudp_sched_put(sched);
	kfree(t);
	return ERR_PTR(err);
}

static void tunnel_free_rcu(struct rcu_head *rcu)
{
	struct mpudp_tunnel *t = container_of(rcu, struct mpudp_tunnel, rcu);

	/* Not under mn->lock: nobody can reach the tunnel any more. */
	mpudp_sched_put(rcu_dereference_protected(t->sched, true));
	kfree(t);
	mpudp_objects_dec();
}

void mpudp_tunnel_remove(struct mpudp_tunnel *t)
{
	struct mpudp_net *mn = t->mn;
	struct mpudp_path *p, *tmp;

	lockdep_assert_held(&mn->lock);

	list_for_each_entry_safe(p, tmp, &t->paths, node)
		mpudp_path_remove(p);
	rhashtable_remove_fast(&mn->tunnels, &t->node, mpudp_tunnel_params);
	idr_remove(&mn->tunnel_ids, t->id);
	mn->n_tunnels--;
	mpudp_net_changed(mn);
	call_rcu(&t->rcu, tunnel_free_rcu);
}

void mpudp_tunnel_remove_all(struct mpudp_net *mn)
{
	struct mpudp_tunnel *t;
	int id;

	lockdep_assert_held(&mn->lock);

	idr_for_each_entry(&mn->tunnel_ids, t, id)
		mpudp_tunnel_remove(t);
}

void mpudp_tunnel_set_sched(struct mpudp_tunnel *t,
			    const struct mpudp_sched_ops *sched)
{
	const struct mpudp_sched_ops *old = mpudp_tunnel_sched(t);

	lockdep_assert_held(&t->mn->lock);

	if (old == sched)
		return;
	mpudp_sched_get(sched);
	rcu_assign_pointer(t->sched, sched);
	/*
	 * Readers may still run the old scheduler: its module reference is
	 * dropped only after they are gone.
	 */
	synchronize_rcu();
	mpudp_sched_put(old);
	mpudp_net_changed(t->mn);
}
