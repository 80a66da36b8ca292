// SPDX-License-Identifier: GPL-2.0
/*
 * Tunnels: the VPN's primary UDP 4-tuple, its scheduler and its paths.
 *
 * Configuration changes hold the namespace's lock (mpudp_net.lock); the data
 * path finds tunnels under RCU only, through the 4-tuple hash tables.
 * Removing a tunnel takes three steps: mark it dead and unlink it from every
 * lookup structure; after an RCU grace period no hook can reach it, so a work
 * item then stops its timer, drops what it still holds and frees it.
 */

#include <linux/jhash.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "fec.h"
#include "hooks.h"
#include "monitor.h"
#include "netns.h"
#include "path.h"
#include "receive.h"
#include "reseq.h"
#include "sched.h"
#include "tunnel.h"

static_assert(sizeof(struct mpudp_tuple) == 2 * sizeof(struct in6_addr) + 8);

/* Tunnels and paths alive in all namespaces: must be 0 once the module exits. */
static atomic_t mpudp_objects = ATOMIC_INIT(0);

static struct workqueue_struct *mpudp_wq_ptr;

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

/* Frees tunnels and paths; mpudp_tunnel_wq_uninit() waits for them. */
struct workqueue_struct *mpudp_wq(void)
{
	return mpudp_wq_ptr;
}

int mpudp_tunnel_wq_init(void)
{
	mpudp_wq_ptr = alloc_workqueue("mpudp", 0, 0);
	return mpudp_wq_ptr ? 0 : -ENOMEM;
}

/* Called after every tunnel was removed. */
void mpudp_tunnel_wq_uninit(void)
{
	/* The works are queued by RCU callbacks: let those run first. */
	rcu_barrier();
	destroy_workqueue(mpudp_wq_ptr);
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

/*
 * Both ends hash the two endpoints of the 4-tuple in the same order (the
 * smaller first), so that they compute the same tag.
 */
static __be16 tunnel_tag(const struct mpudp_tuple *tu)
{
	struct {
		union mpudp_ip ip;
		__be16 port;
		u16 zero;
	} a = { tu->local, tu->local_port }, b = { tu->remote, tu->remote_port };
	u32 words[2 * sizeof(a) / sizeof(u32)];

	static_assert(sizeof(a) % sizeof(u32) == 0);
	if (memcmp(&a, &b, sizeof(a)) > 0)
		swap(a, b);
	memcpy(words, &a, sizeof(a));
	memcpy((u8 *)words + sizeof(a), &b, sizeof(b));
	return htons(jhash2(words, ARRAY_SIZE(words), 0x4d505544) & 0xffff);
}

static struct mpudp_tunnel *tunnel_alloc(struct mpudp_net *mn,
					 const struct mpudp_tunnel_cfg *cfg)
{
	struct mpudp_tunnel *t;

	t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		return NULL;
	t->reseq = mpudp_reseq_alloc(MPUDP_RESEQ_SLOTS, GFP_KERNEL_ACCOUNT);
	t->fec_tx = kzalloc(sizeof(*t->fec_tx), GFP_KERNEL_ACCOUNT);
	if (!t->reseq || !t->fec_tx) {
		mpudp_reseq_free(t->reseq, NULL);
		kfree(t->fec_tx);
		kfree(t);
		return NULL;
	}
	t->tuple = cfg->tuple;
	t->tag = tunnel_tag(&cfg->tuple);
	t->max_hold_us = cfg->max_hold_us;
	t->mn = mn;
	INIT_LIST_HEAD(&t->paths);
	spin_lock_init(&t->sched_lock);
	mpudp_fec_configure(t, cfg->fec);
	spin_lock_init(&t->rx_lock);
	skb_queue_head_init(&t->rx_ready);
	hrtimer_init(&t->rx_timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_SOFT);
	t->rx_timer.function = mpudp_rx_timer;
	mpudp_mon_init(t);
	/* Sequence numbers start anywhere: a restarted peer is told apart. */
	t->tx_seq = get_random_u32();
	mpudp_sched_get(cfg->sched);
	RCU_INIT_POINTER(t->sched, cfg->sched);
	return t;
}

static void tunnel_free(struct mpudp_tunnel *t)
{
	struct sk_buff_head drop;

	__skb_queue_head_init(&drop);
	mpudp_reseq_free(t->reseq, &drop);
	skb_queue_splice_init(&t->rx_ready, &drop);
	mpudp_rx_drop_list(&drop);
	/* Not under mn->lock: nobody can reach the tunnel any more. */
	mpudp_sched_put(rcu_dereference_protected(t->sched, true));
	mpudp_fec_rx_free(t->fec_rx);
	kfree(t->fec_tx);
	kfree(t);
}

struct mpudp_tunnel *mpudp_tunnel_create(struct mpudp_net *mn,
					 const struct mpudp_tunnel_cfg *cfg,
					 struct netlink_ext_ack *extack)
{
	struct mpudp_tunnel *t;
	int err, id;

	lockdep_assert_held(&mn->lock);

	if (mpudp_tunnel_lookup(mn, &cfg->tuple)) {
		NL_SET_ERR_MSG(extack, "A tunnel with this local and remote address and port exists");
		return ERR_PTR(-EEXIST);
	}
	if (mn->n_tunnels >= MPUDP_MAX_TUNNELS) {
		NL_SET_ERR_MSG(extack, "Too many tunnels in this network namespace");
		return ERR_PTR(-ENOSPC);
	}
	if (!mn->hooks) {
		err = mpudp_hooks_register(mn->net);
		if (err) {
			NL_SET_ERR_MSG(extack, "Cannot register the netfilter hooks");
			return ERR_PTR(err);
		}
		mn->hooks = true;
	}

	t = tunnel_alloc(mn, cfg);
	if (!t) {
		err = -ENOMEM;
		goto err_hooks;
	}
	id = idr_alloc_cyclic(&mn->tunnel_ids, NULL, 1, INT_MAX, GFP_KERNEL_ACCOUNT);
	if (id < 0) {
		err = id;
		goto err_free;
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
err_free:
	tunnel_free(t);
err_hooks:
	if (!mn->n_tunnels) {
		mpudp_hooks_unregister(mn->net);
		mn->hooks = false;
	}
	return ERR_PTR(err);
}

static void tunnel_free_work(struct work_struct *work)
{
	struct mpudp_tunnel *t = container_of(to_rcu_work(work),
					      struct mpudp_tunnel, free_work);

	/* Dead and unreachable: once stopped, nothing starts the timer again. */
	hrtimer_cancel(&t->rx_timer);
	tunnel_free(t);
	mpudp_objects_dec();
}

void mpudp_tunnel_remove(struct mpudp_tunnel *t)
{
	struct mpudp_net *mn = t->mn;
	struct mpudp_path *p, *tmp;

	lockdep_assert_held(&mn->lock);

	spin_lock_bh(&t->rx_lock);
	WRITE_ONCE(t->dead, true);
	spin_unlock_bh(&t->rx_lock);
	mpudp_mon_stop(t);
	list_for_each_entry_safe(p, tmp, &t->paths, node)
		mpudp_path_remove(p);
	rhashtable_remove_fast(&mn->tunnels, &t->node, mpudp_tunnel_params);
	idr_remove(&mn->tunnel_ids, t->id);
	mn->n_tunnels--;
	mpudp_net_changed(mn);
	if (!mn->n_tunnels && mn->hooks) {
		/* Waits for every hook that is running. */
		mpudp_hooks_unregister(mn->net);
		mn->hooks = false;
	}
	INIT_RCU_WORK(&t->free_work, tunnel_free_work);
	queue_rcu_work(mpudp_wq(), &t->free_work);
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

void mpudp_tunnel_set_max_hold(struct mpudp_tunnel *t, u32 max_hold_us)
{
	lockdep_assert_held(&t->mn->lock);

	WRITE_ONCE(t->max_hold_us, max_hold_us);
	mpudp_net_changed(t->mn);
}

/*
 * Sets forward error correction: a group size, 0 (off) or MPUDP_FEC_AUTO
 * (none until the probe timer sees loss).
 */
void mpudp_tunnel_set_fec(struct mpudp_tunnel *t, u8 fec)
{
	lockdep_assert_held(&t->mn->lock);

	mpudp_fec_configure(t, fec);
	mpudp_net_changed(t->mn);
}
