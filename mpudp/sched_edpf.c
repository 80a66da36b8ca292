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
 * reports, or more when the path drained faster than that (correct()), at
 * least 1 Mbit/s, plus a quarter while the path has no standing
 * queue (below), so that a path carrying less than it could is given more until
 * it queues, and at most the path's rate cap when the user set one (even a
 * cap below 1 Mbit/s); d(i) is its one-way delay above the fastest path. With
 * light traffic the virtual queues are empty and the fastest path takes
 * everything; under load the fast path's queue grows until it would delay a
 * datagram by d(slow) - d(fast), then the slower path takes a share, and at
 * full load the shares approach C(i) / sum(C) with datagrams arriving about
 * in order, as on one link of the summed capacity. A path's delay counts for
 * at most 20 ms (DELAY_CAP_NS) in that choice: a slower path takes a share
 * once the faster ones hold 20 ms of backlog, not only once they would
 * delay a datagram by its whole extra delay, which a bottleneck's buffer
 * may not hold before it drops (with two paths of RTT 20 and 120 ms, the
 * fast one would need 50 ms of queue; with the model corrected, below, a
 * cap of 30 ms left the slow path of two of RTT 20 and 160 ms carrying 2
 * Mbit/s of its 10 in four downloads of six). Its datagrams then arrive
 * later than
 * on the fast path, and the receiver holds the ones behind them instead of
 * the fast path's buffer. A virtual queue is kept within 50 ms of the
 * path's standing queue, the lowest queueing delay the peer reported over
 * the last smoothed RTT + 20 ms (100 ms while an uncapped path of its tier
 * is within its own bound: forgive()), so that an estimate that is too low
 * does not shut a path out for long.
 *
 * The model alone is open loop: while a path stays busy, a rate estimate 1%
 * too high lets the real queue outgrow the virtual one by 10 ms each
 * second, and the slower paths are given too little (at 10 Mbit/s paths of
 * RTT 20 and 80 ms the fast path's queue grew to 50 ms while the model said
 * 30). The peer's reports correct it, by the model's error and not by the
 * queue they report (correct()): a report is an RTT old, and the queue it
 * reports holds what the model gave the path then, which the model has
 * counted and may have drained since. Taken as a bound of the queue now,
 * reports made the paths take turns: the one that had queued most an RTT
 * ago got almost nothing for an RTT, the other all (at two paths of 60 ms,
 * 13 Mbit/s of 17 in two of three downloads).
 *
 * Rate caps. That bound forgives the backlog beyond it: a path chosen
 * while at its bound is given more than C(i), as much as the traffic brings
 * when the tunnel is overloaded and the path's delay is the lowest. That is
 * harmless for an estimate, but would break a cap; so a capped path's virtual
 * queue is not bounded that way: it keeps its whole backlog and drains at no
 * more than the cap. The path is chosen only when a datagram would arrive
 * first on it behind all it was given, so in any interval it is given at
 * most the cap times the interval, plus a burst of what the cap sends while
 * the other paths of its tier are behind (their delay, queue and 50 ms
 * bound). Only when no path of its tier would deliver within about 1 s of it
 * (it is the tier's only path, or every path of the tier is capped and the
 * traffic exceeds the sum of their caps) does it carry more: MPUDP neither
 * holds nor drops the VPN's datagrams, and a cap does not move traffic to a
 * backup or suspect path. Its virtual queue is then kept within 1 s of the
 * standing queue, so that it is shut out for at most about that long
 * once another path can take over.
 *
 * minrtt: the path with the lowest smoothed RTT that has room (its virtual
 * queue is under a quarter of its RTT, at least 2 ms); when none has, edpf's
 * choice. A capped path's virtual queue fills at its cap here too.
 *
 * redundant: every datagram on every path of the best tier; the receiver
 * keeps the first copy and counts the others as duplicates. It ignores caps.
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
#define MAX_AHEAD_NS		(50 * NSEC_PER_MSEC)
#define STALE_AHEAD_NS		(2 * MAX_AHEAD_NS)
#define CAPPED_AHEAD_NS		NSEC_PER_SEC
#define ROOM_MIN_NS		(2 * NSEC_PER_MSEC)
#define DELAY_CAP_NS		(20 * NSEC_PER_MSEC)
#define FIX_MIN_NS		(2 * NSEC_PER_MSEC)
#define MARK_MIN_NS		NSEC_PER_MSEC
/*
 * A mark farther than this before the datagram a report is about, or older
 * than two smoothed RTTs and this, is not about it.
 */
#define MARK_SEQS		64
#define MARK_AGE_NS		(100 * NSEC_PER_MSEC)
/* IP, UDP and MPUDP headers of a datagram, roughly. */
#define OVERHEAD		48

/* C(i), bit/s; never 0. A cap below RATE_FLOOR wins over the floor. */
static u64 path_rate(const struct mpudp_path *p)
{
	u64 rate = max3(READ_ONCE(p->mon.rate), p->sched_rate, RATE_FLOOR);
	u64 cap = READ_ONCE(p->rate_cap);

	if (READ_ONCE(p->mon.queue_min) < MPUDP_QUEUE_BUSY_US)
		rate += rate / 4;
	return cap ? min(rate, cap) : rate;
}

/*
 * How far the virtual queue of @p may reach: @ahead past the path's standing
 * queue, as the peer reports it.
 */
static u64 path_limit(const struct mpudp_path *p, u64 now, u64 ahead)
{
	return now + (u64)READ_ONCE(p->mon.queue_min) * NSEC_PER_USEC + ahead;
}

/*
 * Corrects the virtual queue of @p by the error the peer's last report
 * shows: the queueing delay the peer saw up to a datagram, less the wait
 * the model gave the datagrams up to it when they were sent (mark()), both
 * smoothed alike. A report is an RTT old; what the model gave the path
 * since is in both, and cancels (a Smith predictor): the path that was
 * given most then is not shut out now for a queue the model knows it has
 * drained. Unsmoothed, the model's side was ahead of the peer's by up to 15
 * ms when the queue rose or fell fast, and corrections of that much in turn
 * swung it by 25 ms (two paths of RTT 20 and 160 ms). Once corrected, the
 * model waits for a report on a datagram sent after it (@sched_gen), that
 * is about an RTT, so that no error counts twice. An error under
 * FIX_MIN_NS is noise (the transit of a full datagram over a small probe's,
 * jitter) and is left.
 */
static void correct(struct mpudp_path *p, u64 now)
{
	u64 r = atomic64_read(&p->sched_report), base, rate, old;
	const struct mpudp_sched_mark *m = NULL;
	bool capped = READ_ONCE(p->rate_cap);
	u32 queue;
	s64 err;
	u16 seq;
	int i;

	if (!r)
		return;
	r = atomic64_xchg(&p->sched_report, 0);
	/* The last datagram the peer had (or a probe after it). */
	seq = (u16)(r >> 32) - 1;
	queue = (u32)r;
	for (i = 1; i <= MPUDP_SCHED_MARKS; i++) {
		m = &p->sched_marks[(u8)(p->sched_mark_next - i) %
				    MPUDP_SCHED_MARKS];
		if (m->gen == p->sched_gen && (s16)(m->path_seq - seq) <= 0)
			break;
	}
	/*
	 * None sent since the last correction, an unused mark, or one too
	 * old to be what the report is about (the path went idle since).
	 */
	old = 2 * (u64)(READ_ONCE(p->rx.srtt) >> 3) * NSEC_PER_USEC +
	      MARK_AGE_NS;
	if (i > MPUDP_SCHED_MARKS || !m->at || now - m->at > old ||
	    (u16)(seq - m->path_seq) > MARK_SEQS)
		return;
	err = ((s64)queue - m->wait) * NSEC_PER_USEC;
	if (abs(err) < FIX_MIN_NS)
		return;
	/*
	 * Drained as fast as it was given, while the model had a queue: the
	 * path may carry more than its estimate, which a path given less than
	 * it can carry cannot show (two paths of RTT 20 and 160 ms: the slow
	 * one, given a datagram only once the fast one held 30 ms, stayed at
	 * 1.5 Mbit/s of 10). Its rate doubles, once per RTT, up to 4 times
	 * the estimate, until the peer sees it queue or lose; then the
	 * monitor's estimate, which has grown by what it delivered meanwhile,
	 * is back. Not for a capped path: its virtual queue is its cap.
	 */
	rate = max(READ_ONCE(p->mon.rate), RATE_FLOOR);
	if (err > 0 || capped || READ_ONCE(p->mon.loss))
		p->sched_rate = 0;
	else if ((u64)queue * NSEC_PER_USEC < FIX_MIN_NS &&
		 (u64)m->wait * NSEC_PER_USEC >= 2 * FIX_MIN_NS)
		p->sched_rate = min(2 * max(rate, p->sched_rate), 4 * rate);
	/* A capped path's virtual queue is its cap: it is only lengthened. */
	if (err < 0 && capped)
		return;
	base = max(p->sched_free, now);
	err = err > 0 ? min_t(s64, err, MAX_AHEAD_NS) :
			-min_t(s64, -err, base - now);
	p->sched_free = base + err;
	/* As if the model had been right: the next error is a new one. */
	p->sched_wait = max_t(s64, (s64)p->sched_wait +
				   div_s64(err * 8, NSEC_PER_USEC), 0);
	p->sched_gen++;
}

/*
 * Takes how long the datagram @p is given now, at @now, waits in the
 * virtual queue that is free at @free into its smoothed wait, and notes
 * that in @p's ring: one mark every 1/32 of the path's RTT, at least every
 * MARK_MIN_NS, so that the ring holds two RTTs.
 */
static void mark(struct mpudp_path *p, u64 free, u64 now)
{
	u64 every = (u64)(READ_ONCE(p->rx.srtt) >> 3) * NSEC_PER_USEC /
		    (MPUDP_SCHED_MARKS / 2);
	u32 wait = min_t(u64, div_u64(free - now, NSEC_PER_USEC), U32_MAX >> 4);
	struct mpudp_sched_mark *m;

	p->sched_wait += wait - (p->sched_wait >> 3);
	m = &p->sched_marks[(u8)(p->sched_mark_next - 1) % MPUDP_SCHED_MARKS];
	if (now - m->at < max_t(u64, every, MARK_MIN_NS))
		return;
	m = &p->sched_marks[p->sched_mark_next++ % MPUDP_SCHED_MARKS];
	m->at = now;
	m->path_seq = p->tx_path_seq;
	m->gen = p->sched_gen;
	m->wait = p->sched_wait >> 3;
}

/*
 * When @p will have sent what it was given (ns), no earlier than @now,
 * corrected by the peer's reports (correct()). The backlog of an uncapped
 * path beyond STALE_AHEAD_NS past its standing queue is forgiven (when
 * every uncapped path of its tier is past MAX_AHEAD_NS, forgive() brings
 * the one the least past back to it, and the others by as much); a capped
 * path keeps all of its own, so that it is never given more than its cap
 * while another path would deliver sooner (account() bounds it).
 */
static u64 path_free(struct mpudp_path *p, u64 now)
{
	u64 queued = path_limit(p, now, 0);

	correct(p, now);
	if (!READ_ONCE(p->rate_cap) && p->sched_free > queued + STALE_AHEAD_NS)
		p->sched_free = queued + STALE_AHEAD_NS;
	return max(p->sched_free, now);
}

/*
 * Forgives the backlog that every uncapped path of tier @tier has beyond
 * MAX_AHEAD_NS past its standing queue: the same amount on each, the least
 * of theirs, so that one of them ends at its bound and their differences
 * stay. Bounded each on its own, paths that all reach their bound would tie
 * there, and the one a datagram takes the least time to reach (its delay
 * and rate) would be given everything until the peer reports its queue:
 * with two paths of 100 ms alike, the inner TCP's slow start overflowed
 * one path's buffer at half the tunnel's capacity. With the differences
 * kept, they take turns in proportion to their rates.
 */
static void forgive(struct mpudp_tunnel *t, int tier, u64 now)
{
	u64 least = U64_MAX, bound;
	struct mpudp_path *p;

	list_for_each_entry_rcu(p, &t->paths, node) {
		if (mpudp_path_tier(p) != tier || READ_ONCE(p->rate_cap))
			continue;
		bound = path_limit(p, now, MAX_AHEAD_NS);
		if (p->sched_free <= bound)
			return;
		least = min(least, p->sched_free - bound);
	}
	if (least == U64_MAX)
		return;
	/* (A path whose tier or cap changed since keeps what it has.) */
	list_for_each_entry_rcu(p, &t->paths, node) {
		if (mpudp_path_tier(p) == tier && !READ_ONCE(p->rate_cap) &&
		    p->sched_free >= path_limit(p, now, MAX_AHEAD_NS) + least)
			p->sched_free -= least;
	}
}

static u64 tx_time(const struct mpudp_path *p, unsigned int len)
{
	return div64_u64((u64)(len + OVERHEAD) * 8 * NSEC_PER_SEC, path_rate(p));
}

/*
 * The path of tier @tier where a datagram of @len bytes arrives first; sets
 * @free and @tx to its path_free() and tx_time() for account().
 */
static struct mpudp_path *earliest(struct mpudp_tunnel *t, int tier,
				   unsigned int len, u64 now, u64 *free,
				   u64 *tx)
{
	struct mpudp_path *p, *best = NULL;
	u64 arrival, best_arrival = U64_MAX, f, x;

	forgive(t, tier, now);
	list_for_each_entry_rcu(p, &t->paths, node) {
		if (mpudp_path_tier(p) != tier)
			continue;
		f = path_free(p, now);
		x = tx_time(p, len);
		arrival = f + x + min_t(u64, (u64)READ_ONCE(p->mon.delay) *
					     NSEC_PER_USEC, DELAY_CAP_NS);
		if (arrival < best_arrival) {
			best = p;
			best_arrival = arrival;
			*free = f;
			*tx = x;
		}
	}
	return best;
}

/*
 * Gives @p, free at @free (path_free()), a datagram that takes it @tx to
 * send. A capped path chosen while its virtual queue reaches beyond
 * CAPPED_AHEAD_NS had no path of its tier that would deliver sooner: it
 * carries the datagram beyond its cap, and that backlog is forgiven, so
 * that it is shut out for at most about CAPPED_AHEAD_NS once another path
 * can take over. (An uncapped path's queue is shorter.)
 */
static void account(struct mpudp_path *p, u64 free, u64 tx, u64 now)
{
	free = min(free, path_limit(p, now, CAPPED_AHEAD_NS));
	mark(p, free, now);
	p->sched_free = free + tx;
}

static struct mpudp_path *edpf_select(struct mpudp_tunnel *t, unsigned int len,
				      u64 now)
{
	int tier = mpudp_tunnel_tier(t);
	u64 free, tx;
	struct mpudp_path *p;

	lockdep_assert_held(&t->sched_lock);

	if (tier == MPUDP_TIER_NONE)
		return NULL;
	p = earliest(t, tier, len, now, &free, &tx);
	if (p)
		account(p, free, tx, now);
	return p;
}

static struct mpudp_path *minrtt_select(struct mpudp_tunnel *t,
					unsigned int len, u64 now)
{
	struct mpudp_path *p, *best = NULL;
	int tier = mpudp_tunnel_tier(t);
	u64 room, free, tx;
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
	if (best) {
		free = path_free(best, now);
		tx = tx_time(best, len);
	} else {
		best = earliest(t, tier, len, now, &free, &tx);
	}
	if (best)
		account(best, free, tx, now);
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

#ifdef DEBUG
#include "selftest/sched_edpf.c"
#endif
