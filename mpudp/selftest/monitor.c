// SPDX-License-Identifier: GPL-2.0
/*
 * Self-tests of the path monitor's estimates, built with DEBUG and run when
 * the module loads. The standing queue (standing_update()): the lowest
 * queueing delay the peer reported over the last smoothed RTT + 20 ms (60
 * ms here), a report every 10 ms. It follows a lower report at once, and a
 * higher one only once no lower report is left in the window. The delivery
 * rate (rate_update()): the highest seen, lowered by an eighth of the
 * difference by a lower sample only while the standing queue is
 * MPUDP_QUEUE_BUSY_US or more, whatever the last report says.
 */

struct queue_step {
	u32 at;		/* ms */
	u32 queue;	/* us, reported */
	u32 want;	/* us, standing */
};

static const struct queue_step queue_steps[] __initconst = {
	{ 0, 30000, 30000 },
	{ 10, 1000, 1000 },
	{ 20, 40000, 1000 },
	{ 30, 40000, 1000 },
	{ 40, 40000, 1000 },
	{ 50, 40000, 1000 },
	{ 60, 40000, 1000 },
	{ 70, 40000, 1000 },	/* the 1 ms report is 60 ms old */
	{ 80, 40000, 40000 },
	{ 90, 40000, 40000 },
	{ 100, 40000, 40000 },
	{ 110, 20000, 20000 },
	{ 300, 35000, 35000 },	/* nothing left in the window */
};

struct rate_step {
	u32 bytes;	/* received, in all */
	u32 queue;	/* us, reported last */
	u32 standing;	/* us */
	u64 want;	/* bit/s */
};

/* A sample every 100 ms: 10, then 5 Mbit/s. */
static const struct rate_step rate_steps[] __initconst = {
	{ 125000, 0, 0, 10000000 },
	{ 187500, 40000, MPUDP_QUEUE_BUSY_US - 1, 10000000 },
	{ 250000, 0, MPUDP_QUEUE_BUSY_US, 9375000 },
	{ 312500, 40000, 40000, 8828125 },
	{ 437500, 0, 0, 10000000 },
};

static bool __init rate_run(void)
{
	struct mpudp_path_mon m = {};
	const struct rate_step *s;
	bool ok = true;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rate_steps); i++) {
		s = &rate_steps[i];
		m.queue = s->queue;
		m.queue_min = s->standing;
		rate_update(&m, s->bytes, (i + 1) * RATE_SAMPLE_US);
		if (m.rate != s->want) {
			pr_err("monitor self-test: rate step %u: %llu bit/s (want %llu)\n",
			       i + 1, m.rate, s->want);
			ok = false;
		}
	}
	return ok;
}

bool __init mpudp_monitor_selftest(void)
{
	const struct queue_step *s;
	struct mpudp_path_mon m = {};
	bool ok = rate_run();
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(queue_steps); i++) {
		s = &queue_steps[i];
		standing_update(&m, 40000, s->queue,
				NSEC_PER_SEC + (u64)s->at * NSEC_PER_MSEC);
		if (m.queue_min != s->want) {
			pr_err("monitor self-test: at %u ms, queue %u us, standing %u us (want %u)\n",
			       s->at, s->queue, m.queue_min, s->want);
			ok = false;
		}
	}
	if (ok)
		pr_info("monitor self-tests: pass\n");
	return ok;
}
