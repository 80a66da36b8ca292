// SPDX-License-Identifier: GPL-2.0
/*
 * Round-robin schedulers: "rr" (equal shares, the reference paper's 50/50
 * striping) and "weighted" (shares proportional to the paths' weights, e.g.
 * 75/25 or 90/10).
 *
 * Both use smooth weighted round robin. Every pick adds each candidate path's
 * weight to its credit, chooses the path with the highest credit and takes the
 * sum of the weights from that path's credit. The credits always sum to zero,
 * so over every run of W = sum(weights) picks from equal credits each path is
 * chosen exactly its weight times, and the picks are interleaved (75/25 sends
 * A A B A, not A A A B), which keeps the per-path bursts short.
 *
 * The candidates are the paths of the tunnel's best tier (monitor.c): the
 * active paths, else the suspect ones, else the same among backup paths.
 */

#include <linux/rculist.h>

#include "monitor.h"
#include "path.h"
#include "sched.h"
#include "tunnel.h"

/* Must be called under RCU read lock with t->sched_lock held. */
static struct mpudp_path *swrr_select(struct mpudp_tunnel *t, bool weighted)
{
	int tier = mpudp_tunnel_tier(t);
	struct mpudp_path *p, *best = NULL;
	s32 total = 0, w;

	lockdep_assert_held(&t->sched_lock);

	if (tier == MPUDP_TIER_NONE)
		return NULL;
	list_for_each_entry_rcu(p, &t->paths, node) {
		if (mpudp_path_tier(p) != tier)
			continue;
		w = weighted ? READ_ONCE(p->weight) : 1;
		p->sched_credit += w;
		total += w;
		if (!best || p->sched_credit > best->sched_credit)
			best = p;
	}
	if (best)
		best->sched_credit -= total;
	return best;
}

static struct mpudp_path *rr_select(struct mpudp_tunnel *t, unsigned int len,
				    u64 now)
{
	return swrr_select(t, false);
}

static struct mpudp_path *weighted_select(struct mpudp_tunnel *t,
					  unsigned int len, u64 now)
{
	return swrr_select(t, true);
}

static struct mpudp_sched_ops mpudp_sched_rr = {
	.name	= "rr",
	.select	= rr_select,
};

static struct mpudp_sched_ops mpudp_sched_weighted = {
	.name	= "weighted",
	.select	= weighted_select,
};

static struct mpudp_sched_ops *const rr_family[] = {
	&mpudp_sched_rr, &mpudp_sched_weighted,
};

int mpudp_sched_rr_init(void)
{
	return mpudp_sched_register_all(rr_family, ARRAY_SIZE(rr_family));
}

void mpudp_sched_rr_uninit(void)
{
	mpudp_sched_unregister_all(rr_family, ARRAY_SIZE(rr_family));
}

#ifdef DEBUG
#include "selftest/sched.c"
#endif
