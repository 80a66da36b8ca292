// SPDX-License-Identifier: GPL-2.0
/*
 * Self-tests of the resequencer, built with DEBUG and run when the module
 * loads. Each case feeds a script of events to a small buffer (8 slots) and
 * checks the order of what comes out and the counters.
 */

enum { IN, EXPIRE, EXPIRE_FROM, PROOF, LOST, START, END };

struct reseq_step {
	u8 op;
	u32 arg;	/* IN, PROOF, LOST: seq; EXPIRE_FROM: from; EXPIRE: - */
	u64 now;
};

struct reseq_case {
	u32 first;			/* added to every seq of the case */
	struct reseq_step steps[12];
	int out[12];			/* released seqs (relative), -1 ends */
	struct mpudp_reseq_stats want;
	u32 held;
};

#define HOLD 10
#define WAIT 20
#define S(o, a, t) { o, a, t }
#define OUT(...) { __VA_ARGS__, -1 }

static const struct reseq_case reseq_cases[] __initconst = {
	/*  1: in order */
	{ 0, { S(IN, 0, 0), S(IN, 1, 0), S(IN, 2, 0), S(END, 0, 0) },
	  OUT(0, 1, 2), { .in_order = 3 }, 0 },
	/*  2: one swap */
	{ 0, { S(IN, 0, 0), S(IN, 2, 1), S(IN, 1, 2), S(END, 0, 0) },
	  OUT(0, 1, 2), { .in_order = 2, .reordered = 1 }, 0 },
	/*  3: duplicates, held and already released */
	{ 0, { S(IN, 0, 0), S(IN, 2, 0), S(IN, 2, 0), S(IN, 0, 0), S(IN, 1, 0),
	       S(IN, 1, 0), S(END, 0, 0) },
	  OUT(0, 1, 2), { .in_order = 2, .reordered = 1, .duplicates = 3 }, 0 },
	/*  4: a gap given up after the hold time, then its datagram is late */
	{ 0, { S(IN, 0, 0), S(IN, 2, 5), S(EXPIRE, 0, 14), S(EXPIRE, 0, 15),
	       S(IN, 1, 20), S(IN, 1, 21), S(END, 0, 0) },
	  OUT(0, 2, 1), { .in_order = 1, .reordered = 1, .gaps_timeout = 1,
			   .late = 1, .duplicates = 1 }, 0 },
	/*  5: the earliest arrival decides, not the lowest sequence number */
	{ 0, { S(IN, 0, 0), S(IN, 3, 0), S(IN, 2, 5), S(EXPIRE, 0, 10),
	       S(END, 0, 0) },
	  OUT(0, 2, 3), { .in_order = 1, .reordered = 2, .gaps_timeout = 1 }, 0 },
	/*  6: every path delivered a later datagram: the gap is lost at once */
	{ 0, { S(IN, 0, 0), S(IN, 2, 0), S(IN, 4, 0), S(PROOF, 3, 0),
	       S(END, 0, 0) },
	  OUT(0, 2), { .in_order = 1, .reordered = 2, .gaps_proven = 1 }, 1 },
	/*  7: a full buffer releases its front rather than drop */
	{ 0, { S(IN, 0, 0), S(IN, 3, 0), S(IN, 10, 0), S(END, 0, 0) },
	  OUT(0, 3), { .in_order = 1, .reordered = 2, .gaps_overflow = 2 }, 1 },
	/*  8: far ahead: the peer restarted */
	{ 0, { S(IN, 0, 0), S(IN, 2, 0), S(IN, 1000, 0), S(IN, 1001, 0),
	       S(END, 0, 0) },
	  OUT(0, 2, 1000, 1001), { .in_order = 3, .reordered = 1, .resyncs = 1 }, 0 },
	/*  9: far behind, three times in a row: the peer restarted */
	{ 100, { S(IN, 0, 0), S(IN, -50, 0), S(IN, -49, 0), S(IN, -48, 0),
		 S(IN, -47, 0), S(END, 0, 0) },
	  OUT(0, -48, -47), { .in_order = 2, .too_old = 3, .resyncs = 1 }, 0 },
	/* 10: across the wrap of the sequence numbers */
	{ 0xfffffffe, { S(IN, 0, 0), S(IN, 2, 0), S(IN, 1, 0), S(IN, 3, 0),
			S(END, 0, 0) },
	  OUT(0, 1, 2, 3), { .in_order = 3, .reordered = 1 }, 0 },
	/* 11: nothing expires before its time */
	{ 0, { S(IN, 0, 0), S(IN, 2, 0), S(EXPIRE, 0, 9), S(END, 0, 0) },
	  OUT(0), { .in_order = 1, .reordered = 1 }, 1 },
	/* 12: starting: the first arrival is not the first datagram */
	{ 10, { S(START, 4, 0), S(START, 6, 1), S(START, 3, 2), S(START, 5, 3),
		S(EXPIRE, 0, 10), S(IN, 7, 11), S(END, 0, 0) },
	  OUT(3, 4, 5, 6, 7), { .in_order = 3, .reordered = 2 }, 0 },
	/* 13: its path lost the gap in front: released at once */
	{ 0, { S(IN, 0, 0), S(IN, 2, 0), S(LOST, 1, 0), S(END, 0, 0) },
	  OUT(0, 2), { .in_order = 1, .reordered = 1, .gaps_lost = 1 }, 0 },
	/* 14: a gap further on is marked and passed over at the front */
	{ 0, { S(IN, 0, 0), S(IN, 3, 0), S(LOST, 2, 0), S(IN, 1, 1),
	       S(END, 0, 0) },
	  OUT(0, 1, 3), { .in_order = 2, .reordered = 1, .gaps_lost = 1 }, 0 },
	/* 15: a datagram marked lost that comes after all takes its place */
	{ 0, { S(IN, 0, 0), S(IN, 3, 0), S(LOST, 2, 0), S(IN, 2, 1),
	       S(IN, 1, 2), S(END, 0, 0) },
	  OUT(0, 1, 2, 3), { .in_order = 2, .reordered = 2 }, 0 },
	/* 16: lost while nothing is held: passed over when a later one comes */
	{ 0, { S(IN, 0, 0), S(LOST, 1, 0), S(IN, 2, 1), S(END, 0, 0) },
	  OUT(0, 2), { .in_order = 1, .reordered = 1, .gaps_lost = 1 }, 0 },
	/* 17: released, held or beyond the window: not a gap, nothing marked */
	{ 0, { S(IN, 0, 0), S(IN, 2, 0), S(LOST, 0, 0), S(LOST, 2, 0),
	       S(LOST, 9, 0), S(EXPIRE, 0, 10), S(END, 0, 0) },
	  OUT(0, 2), { .in_order = 1, .reordered = 1, .gaps_timeout = 1 }, 0 },
	/* 18: a restart forgets the marks */
	{ 0, { S(IN, 0, 0), S(LOST, 1, 0), S(IN, 1000, 1), S(IN, 1002, 2),
	       S(IN, 1001, 3), S(END, 0, 0) },
	  OUT(0, 1000, 1001, 1002), { .in_order = 3, .reordered = 1,
				       .resyncs = 1 }, 0 },
	/* 19: a gap marked lost stays lost when the hold time passes it */
	{ 0, { S(IN, 0, 0), S(IN, 3, 0), S(LOST, 2, 0), S(EXPIRE, 0, 10),
	       S(END, 0, 0) },
	  OUT(0, 3), { .in_order = 1, .reordered = 1, .gaps_timeout = 1,
		       .gaps_lost = 1 }, 0 },
	/* 20: gaps from 3 on wait longer; the one before does not */
	{ 0, { S(IN, 0, 0), S(IN, 2, 0), S(IN, 4, 0), S(EXPIRE_FROM, 3, 10),
	       S(EXPIRE_FROM, 3, 19), S(EXPIRE_FROM, 3, 20), S(END, 0, 0) },
	  OUT(0, 2, 4), { .in_order = 1, .reordered = 2, .gaps_timeout = 2 }, 0 },
	/* 21: the gap in front waits longer: nothing goes before its time */
	{ 0, { S(IN, 0, 0), S(IN, 2, 0), S(EXPIRE_FROM, 1, 15),
	       S(EXPIRE_FROM, 1, 19), S(END, 0, 0) },
	  OUT(0), { .in_order = 1, .reordered = 1 }, 1 },
	/* 22: across the wrap, the gaps from 0 on wait longer */
	{ 0xfffffffd, { S(IN, 0, 0), S(IN, 2, 0), S(IN, 4, 0),
			S(EXPIRE_FROM, 3, 10), S(END, 0, 0) },
	  OUT(0, 2), { .in_order = 1, .reordered = 2, .gaps_timeout = 1 }, 1 },
	/* 23: held from the start at the front, waiting longer from 5 on */
	{ 10, { S(START, 3, 0), S(START, 4, 1), S(EXPIRE_FROM, 5, 10),
		S(END, 0, 0) },
	  OUT(3, 4), { .in_order = 1, .reordered = 1 }, 0 },
	/*
	 * 24: starting with the window full: an earlier datagram is late, not
	 * the first (its slot is that of 6)
	 */
	{ 10, { S(START, 0, 0), S(START, 1, 0), S(START, 2, 0), S(START, 3, 0),
		S(START, 4, 0), S(START, 5, 0), S(START, 6, 0), S(START, 7, 0),
		S(START, -2, 1), S(EXPIRE, 0, 10), S(END, 0, 0) },
	  OUT(-2, 0, 1, 2, 3, 4, 5, 6, 7), { .in_order = 1, .reordered = 7,
					       .late = 1 }, 0 },
};

static bool __init reseq_case_run(const struct reseq_case *c)
{
	struct sk_buff_head out, drop;
	const struct reseq_step *st;
	struct mpudp_reseq *r;
	struct sk_buff *skb;
	bool ok = true;
	int i = 0;

	r = mpudp_reseq_alloc(8, GFP_KERNEL);
	if (!r)
		return false;
	__skb_queue_head_init(&out);
	__skb_queue_head_init(&drop);
	for (st = c->steps; st->op != END; st++) {
		switch (st->op) {
		case IN:
		case START:
			skb = alloc_skb(0, GFP_KERNEL);
			if (!skb) {
				ok = false;
				goto out;
			}
			skb->mark = c->first + st->arg;
			mpudp_reseq_input(r, skb->mark, skb, st->now,
					  st->op == START, &out, &drop);
			break;
		case EXPIRE:
			mpudp_reseq_expire(r, st->now, HOLD, r->next, HOLD, &out);
			break;
		case EXPIRE_FROM:
			mpudp_reseq_expire(r, st->now, HOLD, c->first + st->arg,
					   WAIT, &out);
			break;
		case PROOF:
			mpudp_reseq_lost_before(r, c->first + st->arg, &out);
			break;
		case LOST:
			mpudp_reseq_lost(r, c->first + st->arg, &out);
			break;
		}
	}
	while ((skb = __skb_dequeue(&out))) {
		ok &= c->out[i] != -1 && skb->mark == c->first + c->out[i];
		if (c->out[i] != -1)
			i++;
		kfree_skb(skb);
	}
	ok &= c->out[i] == -1;
	ok &= !memcmp(&r->stats, &c->want, sizeof(c->want));
	ok &= r->held == c->held;
	ok &= !r->lost;	/* no case leaves a mark behind */
out:
	mpudp_reseq_free(r, &drop);
	__skb_queue_purge(&drop);
	return ok;
}

bool __init mpudp_reseq_selftest(void)
{
	bool success = true;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(reseq_cases); i++) {
		if (!reseq_case_run(&reseq_cases[i])) {
			pr_err("reseq self-test %u: FAIL\n", i + 1);
			success = false;
		}
	}
	if (success)
		pr_info("reseq self-tests: pass\n");
	return success;
}

#undef S
#undef OUT
#undef HOLD
#undef WAIT
