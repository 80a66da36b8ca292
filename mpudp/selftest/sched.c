// SPDX-License-Identifier: GPL-2.0
/*
 * Self-tests of the round-robin schedulers, built with DEBUG and run when the
 * module loads. Each case runs a scheduler over paths with the given weights
 * and flags and checks that every block of W picks (W = the sum of the
 * candidates' weights) gives each path exactly its share.
 */

#include <linux/slab.h>

#define B MPUDP_PATH_F_BACKUP

struct sched_case {
	const struct mpudp_sched_ops *ops;
	unsigned int n;		/* paths */
	u32 weight[4];
	u32 flags[4];
	unsigned int block;	/* picks per block */
	unsigned int want[4];	/* picks of each path per block */
};

static const struct sched_case sched_cases[] __initconst = {
	/*  1 */ { &mpudp_sched_rr, 2, { 1, 1 }, { 0, 0 }, 2, { 1, 1 } },
	/*  2 */ { &mpudp_sched_rr, 2, { 75, 25 }, { 0, 0 }, 2, { 1, 1 } },
	/*  3 */ { &mpudp_sched_rr, 3, { 1, 1, 1 }, { 0, 0, 0 }, 3, { 1, 1, 1 } },
	/*  4 */ { &mpudp_sched_weighted, 2, { 75, 25 }, { 0, 0 }, 100, { 75, 25 } },
	/*  5 */ { &mpudp_sched_weighted, 2, { 3, 1 }, { 0, 0 }, 4, { 3, 1 } },
	/*  6 */ { &mpudp_sched_weighted, 2, { 90, 10 }, { 0, 0 }, 100, { 90, 10 } },
	/*  7 */ { &mpudp_sched_weighted, 3, { 5, 3, 2 }, { 0, 0, 0 }, 10, { 5, 3, 2 } },
	/*  8 */ { &mpudp_sched_weighted, 2, { 1, 1000 }, { 0, 0 }, 1001, { 1, 1000 } },
	/*  9 */ { &mpudp_sched_rr, 3, { 1, 1, 1 }, { 0, B, 0 }, 2, { 1, 0, 1 } },
	/* 10 */ { &mpudp_sched_weighted, 3, { 3, 7, 1 }, { 0, B, 0 }, 4, { 3, 0, 1 } },
	/* 11 */ { &mpudp_sched_rr, 2, { 1, 1 }, { B, B }, 2, { 1, 1 } },
	/* 12 */ { &mpudp_sched_weighted, 2, { 2, 1 }, { B, B }, 3, { 2, 1 } },
	/* 13 */ { &mpudp_sched_rr, 0, { }, { }, 1, { } },
};

/* Runs one case for 5 blocks; returns true when every block is exact. */
static bool __init sched_case_run(const struct sched_case *c,
				  struct mpudp_tunnel *t,
				  struct mpudp_path *paths)
{
	unsigned int got[4], i, j, block;
	struct mpudp_path *p;
	bool ok = true;

	INIT_LIST_HEAD(&t->paths);
	for (i = 0; i < c->n; i++) {
		paths[i] = (struct mpudp_path){ .id = i + 1,
						.weight = c->weight[i],
						.flags = c->flags[i],
						.mon.state = MPUDP_PATH_STATE_ACTIVE };
		list_add_tail(&paths[i].node, &t->paths);
	}
	rcu_read_lock();
	spin_lock_bh(&t->sched_lock);
	for (block = 0; block < 5 && ok; block++) {
		memset(got, 0, sizeof(got));
		for (j = 0; j < c->block; j++) {
			p = c->ops->select(t, 0, ktime_get_ns());
			if (!p) {
				ok = c->n == 0;
				break;
			}
			got[p->id - 1]++;
		}
		for (i = 0; i < c->n; i++)
			ok &= got[i] == c->want[i];
	}
	spin_unlock_bh(&t->sched_lock);
	rcu_read_unlock();
	return ok;
}

bool __init mpudp_sched_selftest(void)
{
	struct mpudp_path *paths;
	struct mpudp_tunnel *t;
	bool success = true;
	unsigned int i;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	paths = kcalloc(4, sizeof(*paths), GFP_KERNEL);
	if (!t || !paths) {
		success = false;
		goto out;
	}
	spin_lock_init(&t->sched_lock);
	for (i = 0; i < ARRAY_SIZE(sched_cases); i++) {
		if (!sched_case_run(&sched_cases[i], t, paths)) {
			pr_err("sched self-test %u: FAIL\n", i + 1);
			success = false;
		}
	}
	if (success)
		pr_info("sched self-tests: pass\n");
out:
	kfree(paths);
	kfree(t);
	return success;
}

#undef B
