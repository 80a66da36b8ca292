// SPDX-License-Identifier: GPL-2.0
/*
 * Self-tests of the rate cap in the edpf and minrtt schedulers, and of
 * edpf's cap on a path's delay, built with DEBUG and run when the module
 * loads. path_rate() is the estimate with its floor and gain, at most the
 * cap; and however overloaded the tunnel, a capped path is given no more
 * than its cap plus a burst while another path can take the traffic, and
 * takes everything, with a bounded virtual queue, when it is alone. Also:
 * paths all past their bound share in proportion to their rates, and the
 * standing queue (the lowest reported lately), not the last report, is a
 * lower bound of the virtual one.
 */

#include <linux/slab.h>

struct rate_case {
	u64 rate;	/* the peer's delivery rate, bit/s */
	u32 queue;	/* the path's standing queue, us */
	u64 cap;	/* bit/s; 0: none */
	u64 want;	/* path_rate() */
	u32 last;	/* the last report's queue, us, if not @queue */
};

/* The gain goes by the standing queue, not by the last report (9, 10). */
static const struct rate_case rate_cases[] __initconst = {
	/*  1 */ { 0, 0, 0, 1250000 },
	/*  2 */ { 0, MPUDP_QUEUE_BUSY_US, 0, 1000000 },
	/*  3 */ { 100000000, 0, 0, 125000000 },
	/*  4 */ { 100000000, 0, 10000000, 10000000 },
	/*  5 */ { 8000000, 0, 9000000, 9000000 },
	/*  6 */ { 8000000, 0, 20000000, 10000000 },
	/*  7 */ { 0, MPUDP_QUEUE_BUSY_US, 500000, 500000 },
	/*  8 */ { 0, 0, MPUDP_RATE_CAP_MIN, MPUDP_RATE_CAP_MIN },
	/*  9 */ { 8000000, 0, 0, 10000000, 40000 },
	/* 10 */ { 8000000, MPUDP_QUEUE_BUSY_US, 0, 8000000, 1000 },
};

#define CAP_PICKS	4000
#define CAP_LEN		1000
/*
 * The burst a capped path may be given beyond its cap, above: it is chosen
 * only while it would deliver no later than path 1, whose virtual queue is
 * at most its queue (10 ms) + MAX_AHEAD_NS (50 ms) ahead and whose delay is
 * 20 ms more, 80 ms in all. Without the rule, the capped path, the faster,
 * would be given everything once both queues reach their bound.
 */
#define CAP_BURST_NS	(200 * NSEC_PER_MSEC)

/* @n paths: the last is capped, the other (if any) is not. */
struct cap_case {
	const struct mpudp_sched_ops *ops;
	unsigned int n;
	u64 rate[2];	/* bit/s */
	u32 queue[2];	/* us */
	u32 delay[2];	/* us */
	u32 srtt[2];	/* us */
	u64 cap[2];	/* bit/s */
};

static const struct cap_case cap_cases[] __initconst = {
	/* 1: the capped path is the faster one */
	{ &mpudp_sched_edpf, 2, { 100000000, 100000000 }, { 10000, 0 },
	  { 20000, 0 }, { 0, 0 }, { 0, 10000000 } },
	/* 2: and has the lower RTT */
	{ &mpudp_sched_minrtt, 2, { 100000000, 100000000 }, { 10000, 0 },
	  { 20000, 0 }, { 40000, 10000 }, { 0, 10000000 } },
	/* 3: a cap below RATE_FLOOR */
	{ &mpudp_sched_edpf, 2, { 100000000, 0 }, { 10000, MPUDP_QUEUE_BUSY_US },
	  { 20000, 0 }, { 0, 0 }, { 0, 500000 } },
	/* 4: alone, the capped path takes everything */
	{ &mpudp_sched_edpf, 1, { 100000000 }, { 0 }, { 0 }, { 0 },
	  { 10000000 } },
};

/* Gives CAP_PICKS datagrams to the paths of case @c; checks the capped one. */
static bool __init cap_case_run(const struct cap_case *c,
				struct mpudp_tunnel *t,
				struct mpudp_path *paths)
{
	unsigned int picks[2] = { 0, 0 }, i, k;
	struct mpudp_path *p;
	u64 start, end;
	bool ok = true;

	INIT_LIST_HEAD(&t->paths);
	for (i = 0; i < c->n; i++) {
		p = &paths[i];
		memset(p, 0, sizeof(*p));
		p->id = i + 1;
		p->mon.state = MPUDP_PATH_STATE_ACTIVE;
		p->mon.rate = c->rate[i];
		p->mon.queue = c->queue[i];
		p->mon.queue_min = c->queue[i];
		p->mon.delay = c->delay[i];
		p->rx.srtt = c->srtt[i] << 3;
		p->rate_cap = c->cap[i];
		list_add_tail(&p->node, &t->paths);
	}
	rcu_read_lock();
	spin_lock_bh(&t->sched_lock);
	start = ktime_get_ns();
	for (k = 0; k < CAP_PICKS; k++) {
		p = c->ops->select(t, CAP_LEN, ktime_get_ns());
		if (!p) {
			ok = false;
			break;
		}
		picks[p->id - 1]++;
	}
	end = ktime_get_ns();
	p = &paths[c->n - 1];
	if (c->n == 1)
		ok &= picks[0] == CAP_PICKS &&
		      p->sched_free <= path_limit(p, end, CAPPED_AHEAD_NS) +
				       tx_time(p, CAP_LEN);
	else
		ok &= picks[1] * tx_time(p, CAP_LEN) <= end - start + CAP_BURST_NS;
	spin_unlock_bh(&t->sched_lock);
	rcu_read_unlock();
	if (!ok)
		pr_err("sched_edpf self-test: picks %u, %u in %llu ns\n",
		       picks[0], picks[1], end - start);
	return ok;
}

/*
 * Two active paths of 10 Mbit/s in @t: path 1 with a queue of @queue1 us
 * (reported last, and standing), path 2 @delay2 us slower.
 */
static void __init two_paths(struct mpudp_tunnel *t, struct mpudp_path *paths,
			     u32 queue1, u32 delay2)
{
	struct mpudp_path *p;
	unsigned int i;

	INIT_LIST_HEAD(&t->paths);
	for (i = 0; i < 2; i++) {
		p = &paths[i];
		memset(p, 0, sizeof(*p));
		p->id = i + 1;
		p->mon.state = MPUDP_PATH_STATE_ACTIVE;
		p->mon.rate = 10000000;
		p->mon.queue = i ? 0 : queue1;
		p->mon.queue_min = p->mon.queue;
		p->mon.delay = i ? delay2 : 0;
		list_add_tail(&p->node, &t->paths);
	}
}

/*
 * The standing queue is a lower bound of the virtual one: two paths
 * alike but that path 1 holds 30 ms of queue: the next 20 datagrams of
 * 1452 bytes (24 ms at 10 Mbit/s) go on path 2. The last report alone is
 * not: with 30 ms in it but no standing queue, the paths take turns.
 */
static bool __init reported_queue_run(struct mpudp_tunnel *t,
				      struct mpudp_path *paths)
{
	unsigned int i, picks[2] = { 0, 0 };
	struct mpudp_path *p;
	bool ok = true;

	two_paths(t, paths, 30000, 0);
	rcu_read_lock();
	spin_lock_bh(&t->sched_lock);
	for (i = 0; i < 20; i++) {
		p = mpudp_sched_edpf.select(t, 1452, ktime_get_ns());
		ok &= p == &paths[1];
	}
	two_paths(t, paths, 30000, 0);
	paths[0].mon.queue_min = 0;
	for (i = 0; i < 20; i++) {
		p = mpudp_sched_edpf.select(t, 1452, ktime_get_ns());
		if (p == &paths[0] || p == &paths[1])
			picks[p - paths]++;
	}
	spin_unlock_bh(&t->sched_lock);
	rcu_read_unlock();
	if (picks[0] < 8 || picks[1] < 8) {
		pr_err("sched_edpf self-test: last report only, picks %u, %u\n",
		       picks[0], picks[1]);
		ok = false;
	}
	return ok;
}

/*
 * Offers edpf @n datagrams of 1452 bytes at once (@now) on the paths of
 * @t; counts the picks of paths 1 and 2, and sets @first2 to the index of
 * the first datagram given to path 2 (@n if none).
 */
static bool __init offer(struct mpudp_tunnel *t, unsigned int n, u64 now,
			 unsigned int *picks, unsigned int *first2)
{
	struct mpudp_path *p;
	unsigned int i;
	bool ok = true;

	picks[0] = 0;
	picks[1] = 0;
	*first2 = n;
	rcu_read_lock();
	spin_lock_bh(&t->sched_lock);
	for (i = 0; i < n; i++) {
		p = mpudp_sched_edpf.select(t, 1452, now);
		if (!p) {
			ok = false;
			break;
		}
		if (p->id == 2 && *first2 == n)
			*first2 = i;
		picks[p->id - 1]++;
	}
	spin_unlock_bh(&t->sched_lock);
	rcu_read_unlock();
	return ok;
}

/*
 * A path's delay counts for at most DELAY_CAP_NS: two paths of 10 Mbit/s
 * (12.5 with the gain), the second 100 ms slower, offered 200 datagrams of
 * 1452 bytes at once. The first 32 go on path 1 (0.96 ms each: the 32nd
 * arrives 30.7 ms from now, a datagram on path 2 30.96 ms); then path 2
 * takes a share. Without the cap it would take next to none: path 1's
 * virtual queue is bounded 100 ms ahead while path 2's is shorter.
 */
static bool __init delay_cap_run(struct mpudp_tunnel *t,
				 struct mpudp_path *paths)
{
	unsigned int picks[2], first2;
	bool ok;

	two_paths(t, paths, 0, 100000);
	ok = offer(t, 200, ktime_get_ns(), picks, &first2);
	if (!ok || first2 < 32 || picks[1] < 10) {
		pr_err("sched_edpf self-test: delay cap picks %u, %u, first on path 2 %u\n",
		       picks[0], picks[1], first2);
		ok = false;
	}
	return ok;
}

/*
 * Paths whose virtual queues reach their bound take turns in proportion to
 * their rates: two paths of the same delay, 10 and 20 Mbit/s (12.5 and 25
 * with the gain), offered 600 datagrams of 1452 bytes at once. Both reach
 * their bound (50 ms ahead) after 52 and 104; path 2 takes 2/3 of them all.
 * Bounded where they are compared, the two would tie at their bound from
 * there on but for a datagram's time, shorter on path 2, which would take
 * all the others (52 and 548 without forgive()).
 */
static bool __init saturated_run(struct mpudp_tunnel *t,
				 struct mpudp_path *paths)
{
	unsigned int picks[2], first2;
	u64 now = ktime_get_ns();
	bool ok;

	two_paths(t, paths, 0, 0);
	paths[1].mon.rate = 20000000;
	ok = offer(t, 600, now, picks, &first2);
	if (!ok || picks[1] < 395 || picks[1] > 405) {
		pr_err("sched_edpf self-test: saturated picks %u, %u (ahead %lld, %lld ns)\n",
		       picks[0], picks[1], (s64)(paths[0].sched_free - now),
		       (s64)(paths[1].sched_free - now));
		ok = false;
	}
	return ok;
}

bool __init mpudp_sched_edpf_selftest(void)
{
	struct mpudp_path *paths;
	struct mpudp_tunnel *t;
	bool success = true;
	unsigned int i;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	paths = kcalloc(2, sizeof(*paths), GFP_KERNEL);
	if (!t || !paths) {
		success = false;
		goto out;
	}
	for (i = 0; i < ARRAY_SIZE(rate_cases); i++) {
		memset(paths, 0, sizeof(*paths));
		paths->mon.rate = rate_cases[i].rate;
		paths->mon.queue = rate_cases[i].last ?: rate_cases[i].queue;
		paths->mon.queue_min = rate_cases[i].queue;
		paths->rate_cap = rate_cases[i].cap;
		if (path_rate(paths) != rate_cases[i].want) {
			pr_err("sched_edpf self-test rate %u: FAIL\n", i + 1);
			success = false;
		}
	}
	spin_lock_init(&t->sched_lock);
	for (i = 0; i < ARRAY_SIZE(cap_cases); i++) {
		if (!cap_case_run(&cap_cases[i], t, paths)) {
			pr_err("sched_edpf self-test cap %u: FAIL\n", i + 1);
			success = false;
		}
	}
	if (!delay_cap_run(t, paths)) {
		pr_err("sched_edpf self-test delay cap: FAIL\n");
		success = false;
	}
	if (!saturated_run(t, paths)) {
		pr_err("sched_edpf self-test saturated: FAIL\n");
		success = false;
	}
	if (!reported_queue_run(t, paths)) {
		pr_err("sched_edpf self-test reported queue: FAIL\n");
		success = false;
	}
	if (success)
		pr_info("sched_edpf self-tests: pass\n");
out:
	kfree(paths);
	kfree(t);
	return success;
}
