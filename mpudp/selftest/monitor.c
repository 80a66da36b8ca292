// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test of the standing queue (standing_update()), built with DEBUG and
 * run when the module loads: the lowest queueing delay the peer reported
 * over the last smoothed RTT + 20 ms (60 ms here), a report every 10 ms. It
 * follows a lower report at once, and a higher one only once no lower
 * report is left in the window.
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

bool __init mpudp_monitor_selftest(void)
{
	const struct queue_step *s;
	struct mpudp_path_mon m = {};
	bool ok = true;
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
