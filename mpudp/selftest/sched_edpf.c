// SPDX-License-Identifier: GPL-2.0
/*
 * Self-tests of the rate cap in the edpf and minrtt schedulers, and of
 * edpf's cap on a path's delay, built with DEBUG and run when the module
 * loads. path_rate() is the estimate with its floor and gain, at most the
 * cap; and however overloaded the tunnel, a capped path is given no more
 * than its cap plus a burst while another path can take the traffic, and
 * takes everything, with a bounded virtual queue, when it is alone. Also:
 * paths all past their bound share in proportion to their rates, and the
 * peer's reports correct the virtual queues by the model's error.
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
 * Gives @n datagrams of 1452 bytes to the paths of @t, one every @gap ns
 * from @now on, numbering them per path as send.c does; counts the picks
 * of paths 1 and 2 in @picks. Returns the time after the last.
 */
static u64 __init feed(struct mpudp_tunnel *t, unsigned int n, u64 now,
		       u64 gap, unsigned int *picks)
{
	struct mpudp_path *p;
	unsigned int i;

	picks[0] = 0;
	picks[1] = 0;
	rcu_read_lock();
	spin_lock_bh(&t->sched_lock);
	for (i = 0; i < n; i++, now += gap) {
		p = mpudp_sched_edpf.select(t, 1452, now);
		if (!p)
			break;
		p->tx_path_seq++;
		picks[p->id - 1]++;
	}
	spin_unlock_bh(&t->sched_lock);
	rcu_read_unlock();
	return now;
}

/* The last mark of @p. */
static struct mpudp_sched_mark __init last_mark(const struct mpudp_path *p)
{
	return p->sched_marks[(u8)(p->sched_mark_next - 1) % MPUDP_SCHED_MARKS];
}

/*
 * The peer reports of path @p the datagrams up to mark @m, and @err us more
 * queueing delay than its wait (as report_rx() in monitor.c passes it on).
 */
static void __init report_mark(struct mpudp_path *p,
			       const struct mpudp_sched_mark *m, s32 err)
{
	mpudp_sched_report(p, m->path_seq + 1, max_t(s32, (s32)m->wait + err, 0));
}

#define BUSY_GAP	(300 * NSEC_PER_USEC)

/*
 * The reports correct the virtual queues by the model's error, not by the
 * queue they report. Two paths alike (10 Mbit/s with the gain, 1.2 ms a
 * datagram), offered twice that until the model holds about 24 ms on each
 * (1), then a datagram every 3 ms, which drains it. A report of that busy
 * time, an RTT old, says what the model had: path 1's queue was 20 ms. It
 * changes nothing now, and the next 20 datagrams take turns (2); taken as
 * a bound of the queue now, path 2 would have them all. A report that
 * says 30 ms more than the model had moves path 1's queue 30 ms: the next
 * 20 go on path 2 (3). The same, again, of a datagram sent before that
 * correction counts no more (4). One of less than the model had brings
 * the queue nearer by the difference (5). One of no queue at all, where
 * the model had some, doubles the path's rate (6), until one says the
 * path queues more than the model has (7). A report of no queue neither
 * shortens the virtual queue of a capped path, which is its cap, nor
 * raises its rate (8). A report of a datagram
 * marked long ago, on a path idle since, is not about its queue now (9).
 * The path sequence numbers and the ring of marks wrap on the way.
 */
static bool __init correction_run(struct mpudp_tunnel *t,
				  struct mpudp_path *paths)
{
	u64 now = ktime_get_ns(), free;
	struct mpudp_sched_mark m;
	unsigned int picks[2], i;
	int step = 1;
	bool ok;

	two_paths(t, paths, 0, 0);
	for (i = 0; i < 2; i++) {
		paths[i].mon.rate = 8000000;
		/* Both wrap, the sequence numbers and the ring. */
		paths[i].tx_path_seq = 65500;
		paths[i].sched_mark_next = 250;
	}
	now = feed(t, 80, now, BUSY_GAP, picks);
	ok = picks[0] >= 35 && picks[1] >= 35 &&
	     paths[0].sched_free > now + 15 * NSEC_PER_MSEC;
	m = last_mark(&paths[0]);
	now = feed(t, 10, now, 3 * NSEC_PER_MSEC, picks);
	if (ok) {
		step++;
		report_mark(&paths[0], &m, 1000);
		/* As the standing queue would be, had it lasted. */
		paths[0].mon.queue = m.wait + 1000;
		paths[0].mon.queue_min = m.wait + 1000;
		now = feed(t, 20, now, BUSY_GAP, picks);
		ok &= m.wait > 15000 && picks[0] >= 6 && picks[1] >= 6;
		paths[0].mon.queue = 0;
		paths[0].mon.queue_min = 0;
	}
	if (ok) {
		step++;
		m = last_mark(&paths[0]);
		report_mark(&paths[0], &m, 30000);
		now = feed(t, 20, now, BUSY_GAP, picks);
		ok &= picks[1] == 20;
	}
	if (ok) {
		step++;
		free = paths[0].sched_free;
		report_mark(&paths[0], &m, 30000);
		now = feed(t, 1, now, BUSY_GAP, picks);
		ok &= paths[0].sched_free == free;
	}
	if (ok) {
		step++;
		m = last_mark(&paths[1]);
		free = paths[1].sched_free;
		report_mark(&paths[1], &m, -10000);
		feed(t, 1, now, BUSY_GAP, picks);
		ok &= picks[1] == 1 && free > now + 10 * NSEC_PER_MSEC &&
		      paths[1].sched_free == free - 10 * NSEC_PER_MSEC +
					     tx_time(&paths[1], 1452);
	}
	if (ok) {
		step++;
		now = feed(t, 20, now, BUSY_GAP, picks);
		m = last_mark(&paths[1]);
		report_mark(&paths[1], &m, -(s32)m.wait);
		now = feed(t, 1, now, BUSY_GAP, picks);
		ok &= m.wait >= 4000 && paths[1].sched_rate == 16000000 &&
		      path_rate(&paths[1]) == 20000000;
	}
	if (ok) {
		step++;
		now = feed(t, 20, now, BUSY_GAP, picks);
		m = last_mark(&paths[1]);
		report_mark(&paths[1], &m, 3000);
		now = feed(t, 1, now, BUSY_GAP, picks);
		ok &= paths[1].sched_rate == 0;
	}
	if (ok) {
		step++;
		paths[1].rate_cap = 10000000;
		now = feed(t, 20, now, BUSY_GAP, picks);
		m = last_mark(&paths[1]);
		free = paths[1].sched_free;
		report_mark(&paths[1], &m, -(s32)m.wait);
		ok &= m.wait >= 4000 && path_free(&paths[1], now) == free &&
		      paths[1].sched_free == free && !paths[1].sched_rate;
	}
	if (ok) {
		step++;
		m = last_mark(&paths[0]);
		free = paths[0].sched_free;
		report_mark(&paths[0], &m, 30000);
		now += 2 * MARK_AGE_NS;
		path_free(&paths[0], now);
		ok &= paths[0].sched_free == free;
	}
	if (!ok)
		pr_err("sched_edpf self-test: correction step %d picks %u, %u, ahead %lld, %lld ns\n",
		       step, picks[0], picks[1], (s64)(paths[0].sched_free - now),
		       (s64)(paths[1].sched_free - now));
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
 * 1452 bytes at once. The first 21 go on path 1 (0.96 ms each: the 21st
 * arrives 20.2 ms from now, a datagram on path 2 20.96 ms); then path 2
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
	if (!ok || first2 < 21 || picks[1] < 10) {
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
	if (!correction_run(t, paths)) {
		pr_err("sched_edpf self-test correction: FAIL\n");
		success = false;
	}
	if (success)
		pr_info("sched_edpf self-tests: pass\n");
out:
	kfree(paths);
	kfree(t);
	return success;
}
