// SPDX-License-Identifier: GPL-2.0
/*
 * Delay- and rate-aware schedulers: "edpf" (the default), "minrtt" and
 * "redundant". They use what the path monitor (monitor.c) learns.
 *
 * edpf: earliest delivery path first (Chebrolu and Rao, IEEE TMC 5(4), 2006).
 * Each datagram goes on the path where it would arrive first:
 *
 *	arrival(i) = max(now, free(i)) + L / C(i) + d(i)
 *
 * free(i) is when path i will have sent what it was given, as if it sent at
 * C(i) (a virtual queue); C(i) is the path's rate: the delivery rate the peer
 * reports, at least 1 Mbit/s, plus a quarter while the peer sees no queue on
 * the path, so that a path carrying less than it could is given more until
 * it queues; d(i) is its one-way delay above the fastest path. With light
 * traffic the virtual queues are empty and the fastest path takes everything;
 * under load the fast path's queue grows until it would delay a datagram by
 * d(slow) - d(fast), then the slower path takes a share, and at full load the
 * shares approach C(i) / sum(C) with datagrams arriving about in order, as on
 * one link of the summed capacity. A virtual queue is kept within 50 ms of the
 * queueing delay the peer reports, so that a rate estimate that is too low
 * cannot shut a path out for long.
 *
 * minrtt: the path with the lowest smoothed RTT that has room (its virtual
 * queue is under a quarter of its RTT, at least 2 ms); when none has, edpf's
 * choice.
 *
 * redundant: every datagram on every path of the best tier; the receiver
 * keeps the first copy and counts the others as duplicates.
 *
 * All of them choose among the paths of the tunnel's best tier: active,
 * else suspect, else the same among backup paths (mpudp_tunnel_tier()).
 */

#include <linux/rculist.h>

#include "monitor.h"
#include "path.h"
#include "sched.h"
#include "tunnel.h"

#define RATE_FLOOR		1000000ULL	/* bit/s */
#define QUEUE_FREE_US		5000
#define MAX_AHEAD_NS		(50 * NSEC_PER_MSEC)
#define ROOM_MIN_NS		(2 * NSEC_PER_MSEC)
/* IP, UDP and MPUDP headers of a datagram, roughly. */
#define OVERHEAD		48

static u64 path_rate(const struct mpudp_path *p)
{
	u64 rate = max(READ_ONCE(p->mon.rate), RATE_FLOOR);

	if (READ_ONCE(p->mon.queue) < QUEUE_FREE_US)
		rate += rate / 4;
	return rate;
}

/* When @p will have sent what it was given (ns), no earlier than @now. */
static u64 path_free(struct mpudp_path *p, u64 now)
{
	u64 limit = now + (u64)READ_ONCE(p->mon.queue) * NSEC_PER_USEC +
		    MAX_AHEAD_NS;

	if (p->sched_free > limit)
		p->sched_free = limit;
	return max(p->sched_free, now);
}

static u64 tx_time(const struct mpudp_path *p, unsigned int len)
{
	return div64_u64((u64)(len + OVERHEAD) * 8 * NSEC_PER_SEC, path_rate(p));
}

/* The path of tier @tier where a datagram of @len bytes arrives first. */
static struct mpudp_path *earliest(struct mpudp_tunnel *t, int tier,
				   unsigned int len, u64 now)
{
	struct mpudp_path *p, *best = NULL;
	u64 arrival, best_arrival = U64_MAX;

	list_for_each_entry_rcu(p, &t->paths, node) {
		if (mpudp_path_tier(p) != tier)
			continue;
		arrival = path_free(p, now) + tx_time(p, len) +
			  (u64)READ_ONCE(p->mon.delay) * NSEC_PER_USEC;
		if (arrival < best_arrival) {
			best = p;
			best_arrival = arrival;
		}
	}
	return best;
}

static void account(struct mpudp_path *p, unsigned int len, u64 now)
{
	p->sched_free = path_free(p, now) + tx_time(p, len);
}

static struct mpudp_path *edpf_select(struct mpudp_tunnel *t, unsigned int len)
{
	int tier = mpudp_tunnel_tier(t);
	u64 now = ktime_get_ns();
	struct mpudp_path *p;

	lockdep_assert_held(&t->sched_lock);

	if (tier == MPUDP_TIER_NONE)
		return NULL;
	p = earliest(t, tier, len, now);
	if (p)
		account(p, len, now);
	return p;
}

static struct mpudp_path *minrtt_select(struct mpudp_tunnel *t,
					unsigned int len)
{
	struct mpudp_path *p, *best = NULL;
	int tier = mpudp_tunnel_tier(t);
	u64 now = ktime_get_ns(), room;
	u32 srtt, best_srtt = U32_MAX;

	lockdep_assert_held(&t->sched_lock);

	if (tier == MPUDP_TIER_NONE)
		return NULL;
	list_for_each_entry_rcu(p, &t->paths, node) {
		if (mpudp_path_tier(p) != tier)
			continue;
		/* No sample yet: the peer's RTT is unknown; try it last. */
		srtt = READ_ONCE(p->rx.srtt) >> 3 ?: U32_MAX - 1;
		room = max((u64)srtt * NSEC_PER_USEC / 4, ROOM_MIN_NS);
		if (path_free(p, now) - now < room && srtt < best_srtt) {
			best = p;
			best_srtt = srtt;
		}
	}
	if (!best)
		best = earliest(t, tier, len, now);
	if (best)
		account(best, len, now);
	return best;
}

static unsigned int redundant_select(struct mpudp_tunnel *t,
				     struct mpudp_path **paths)
{
	int tier = mpudp_tunnel_tier(t);
	struct mpudp_path *p;
	unsigned int n = 0;

	lockdep_assert_held(&t->sched_lock);

	if (tier == MPUDP_TIER_NONE)
		return 0;
	list_for_each_entry_rcu(p, &t->paths, node)
		if (mpudp_path_tier(p) == tier && n < MPUDP_MAX_PATHS)
			paths[n++] = p;
	return n;
}

static struct mpudp_sched_ops mpudp_sched_edpf = {
	.name	= "edpf",
	.select	= edpf_select,
};

static struct mpudp_sched_ops mpudp_sched_minrtt = {
	.name	= "minrtt",
	.select	= minrtt_select,
};

static struct mpudp_sched_ops mpudp_sched_redundant = {
	.name		= "redundant",
	.select_all	= redundant_select,
};

static struct mpudp_sched_ops *const edpf_family[] = {
	&mpudp_sched_edpf, &mpudp_sched_minrtt, &mpudp_sched_redundant,
};

int mpudp_sched_edpf_init(void)
{
	return mpudp_sched_register_all(edpf_family, ARRAY_SIZE(edpf_family));
}

void mpudp_sched_edpf_uninit(void)
{
	mpudp_sched_unregister_all(edpf_family, ARRAY_SIZE(edpf_family));
}
