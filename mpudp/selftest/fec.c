// SPDX-License-Identifier: GPL-2.0
/*
 * Self-tests of forward error correction, built with DEBUG and run when the
 * module loads: the group size "fec auto" picks for a loss, where the
 * receiver keeps the interleaved groups of a block, and how the sender
 * fills, closes and flushes them and what their parity holds.
 */

struct fec_auto_case {
	u8 cur;
	u32 loss;
	u8 want;
};

static const struct fec_auto_case fec_auto_cases[] __initconst = {
	{ 0, 0, 0 }, { 0, 999, 0 }, { 0, 1000, 16 }, { 16, 700, 16 },
	{ 16, 699, 0 }, { 16, 5000, 8 }, { 8, 3500, 8 }, { 8, 3499, 16 },
	{ 8, 20000, 4 }, { 4, 14000, 4 }, { 4, 13999, 8 }, { 0, 60000, 2 },
	{ 2, 35000, 2 }, { 2, 34999, 4 }, { 0, 4999, 16 }, { 7, 100, 0 },
};

/* A datagram: IP header room (20), UDP header (8), @len bytes of payload. */
static struct sk_buff *__init fec_test_skb(u32 seq, unsigned int len)
{
	struct sk_buff *skb = alloc_skb(28 + len, GFP_KERNEL);
	unsigned int i;
	u8 *p;

	if (!skb)
		return NULL;
	p = skb_put_zero(skb, 28 + len);
	for (i = 0; i < len; i++)
		p[28 + i] = seq * 7 + i;
	return skb;
}

/* Adds @seq with a payload of @len to @f (group size @k); the result. */
static int __init fec_test_add(struct mpudp_fec_tx *f, u8 k, u32 seq,
			       unsigned int len, u64 now, bool *ok)
{
	struct sk_buff *skb = fec_test_skb(seq, len);
	int done;

	if (!skb) {
		*ok = false;
		return -1;
	}
	done = mpudp_fec_tx_add(f, k, seq, skb, 20, now);
	kfree_skb(skb);
	return done;
}

/*
 * Whether @info and @parity are those of @n datagrams of lengths @lens from
 * @base, every MPUDP_FEC_DEPTH-th.
 */
static bool __init fec_test_parity(const struct mpudp_fec *info,
				   const u8 *parity, u8 k, u32 base,
				   const unsigned int *lens, unsigned int n)
{
	u16 ld = ntohs(info->len_depth), len_xor = 0;
	unsigned int i, j, max = 0;
	u8 b;

	if (info->k != k || info->count != n ||
	    ld >> MPUDP_FEC_DEPTH_SHIFT != MPUDP_FEC_DEPTH - 1)
		return false;
	for (i = 0; i < n; i++) {
		len_xor ^= lens[i];
		max = max(max, lens[i]);
	}
	if ((ld & MPUDP_FEC_LEN_MASK) != len_xor)
		return false;
	for (j = 0; j < max; j++) {
		b = 0;
		for (i = 0; i < n; i++)
			if (j < lens[i])
				b ^= (u8)((base + i * MPUDP_FEC_DEPTH) * 7 + j);
		if (parity[j] != b)
			return false;
	}
	return true;
}

/* The payload length of datagram @seq in fec_tx_selftest(). */
static unsigned int __init fec_test_len(u32 seq)
{
	return seq % 5 == 0 ? MPUDP_FEC_MAX_LEN : 7 + seq * 13 % 700;
}

static bool __init fec_tx_selftest(void)
{
	unsigned int lens[3], i;
	struct mpudp_fec info;
	struct mpudp_fec_tx *f;
	u64 now = 1000 * NSEC_PER_MSEC;
	bool ok = true;
	u8 *parity;
	u32 seq;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	parity = kzalloc(MPUDP_FEC_MAX_LEN, GFP_KERNEL);
	if (!f || !parity) {
		ok = false;
		goto out;
	}
	/*
	 * k = 3: blocks of 12. The first from 13: group 0 (12, 16, 20) missed
	 * its first and goes without; groups 1, 2 and 3 complete with their
	 * last, 21, 22 and 23. A complete group is never due.
	 */
	for (seq = 13; seq < 24; seq++)
		if (fec_test_add(f, 3, seq, fec_test_len(seq), now, &ok) !=
		    (seq < 21 ? -1 : (int)seq - 20))
			ok = false;
	ok &= mpudp_fec_tx_due(f, 3, 24, now + 20 * NSEC_PER_MSEC) == -1;
	for (i = 0; i < 3; i++)
		lens[i] = fec_test_len(14 + i * MPUDP_FEC_DEPTH);
	ok &= mpudp_fec_tx_len(f, 2) == max3(lens[0], lens[1], lens[2]);
	ok &= mpudp_fec_tx_fill(f, 3, 2, &info, parity) == 14;
	ok &= fec_test_parity(&info, parity, 3, 14, lens, 3);
	/* 24 and 25 alone, then nothing for 10 ms: flushed one at a time. */
	ok &= fec_test_add(f, 3, 24, 100, now, &ok) == -1;
	ok &= fec_test_add(f, 3, 25, 1472, now, &ok) == -1;
	ok &= mpudp_fec_tx_due(f, 3, 26, now + 9 * NSEC_PER_MSEC) == -1;
	ok &= mpudp_fec_tx_due(f, 3, 26, now + 10 * NSEC_PER_MSEC) == 0;
	lens[0] = 100;
	ok &= mpudp_fec_tx_fill(f, 3, 0, &info, parity) == 24;
	ok &= fec_test_parity(&info, parity, 3, 24, lens, 1);
	ok &= mpudp_fec_tx_due(f, 3, 26, now + 10 * NSEC_PER_MSEC) == 1;
	lens[0] = 1472;
	ok &= mpudp_fec_tx_fill(f, 3, 1, &info, parity) == 25;
	ok &= fec_test_parity(&info, parity, 3, 25, lens, 1);
	ok &= mpudp_fec_tx_due(f, 3, 26, now + 10 * NSEC_PER_MSEC) == -1;
	/* The rest of a flushed group goes without. */
	ok &= fec_test_add(f, 3, 28, 60, now, &ok) == -1;
	ok &= fec_test_add(f, 3, 32, 60, now, &ok) == -1;
	ok &= mpudp_fec_tx_due(f, 3, 33, now + 20 * NSEC_PER_MSEC) == -1;
	/*
	 * 36 and 37, then 38 to 40 sent without (a redundant scheduler):
	 * group 0 (next 40) is stale, group 1 (next 41) is not.
	 */
	ok &= fec_test_add(f, 3, 36, 60, now, &ok) == -1;
	ok &= fec_test_add(f, 3, 37, 60, now, &ok) == -1;
	ok &= mpudp_fec_tx_due(f, 3, 41, now + 10 * NSEC_PER_MSEC) == 1;
	ok &= mpudp_fec_tx_due(f, 3, 42, now + 10 * NSEC_PER_MSEC) == -1;
	/* A payload too long for a group closes it. */
	ok &= fec_test_add(f, 3, 48, 10, now, &ok) == -1;
	ok &= fec_test_add(f, 3, 52, MPUDP_FEC_MAX_LEN + 1, now, &ok) == -1;
	ok &= fec_test_add(f, 3, 56, 10, now, &ok) == -1;
	ok &= mpudp_fec_tx_due(f, 3, 57, now + 20 * NSEC_PER_MSEC) == -1;
	/* Sequence numbers wrap: blocks stay aligned to multiples of 8. */
	for (seq = U32_MAX - 7; seq != 0; seq++)
		if (fec_test_add(f, 2, seq, 5, now, &ok) !=
		    (seq < U32_MAX - 3 ? -1 : (int)(seq - (U32_MAX - 3))))
			ok = false;
	ok &= mpudp_fec_tx_fill(f, 2, 3, &info, parity) == U32_MAX - 4;
out:
	kfree(parity);
	kfree(f);
	return ok;
}

/* Where the receiver keeps the groups of a block, and their places. */
static bool __init fec_rx_selftest(void)
{
	struct mpudp_fec_rx rx = { .k = 3, .depth = 4 };
	struct mpudp_fec_slot **ref[4], **r;
	unsigned int i, j, place;
	bool ok = true;
	u32 base;

	/* k = 3, depth 4: group j of the block from 24 has 24 + j + 4 i. */
	for (j = 0; j < 4; j++) {
		for (i = 0; i < 3; i++) {
			r = slot_of(&rx, 24 + j + 4 * i, &base, &place);
			if (i == 0)
				ref[j] = r;
			ok &= r == ref[j] && base == 24 + j && place == i;
		}
		for (i = 0; i < j; i++)
			ok &= ref[i] != ref[j];
	}
	/* The same slot MPUDP_FEC_SLOTS groups on. */
	r = slot_of(&rx, 24 + 3 * MPUDP_FEC_SLOTS, &base, &place);
	ok &= r == ref[0] && base == 24 + 3 * MPUDP_FEC_SLOTS && place == 0;
	return ok;
}

/*
 * When a gap waits for parity: k = 3, depth 4, the group from 25 has 25, 29
 * and 33; a datagram sent after its parity is 34 or later, so every path
 * has delivered one when the first one some path has not is 35 or later.
 */
static bool __init fec_awaits_selftest(void)
{
	struct mpudp_fec_rx rx = { .k = 3, .depth = 4 };
	struct mpudp_fec_slot **ref, *s;
	unsigned int place;
	bool ok = true;
	u32 base;

	ref = slot_of(&rx, 25, &base, &place);
	/* Nothing of the group came yet. */
	ok &= rx_awaits(&rx, 25, 34, true) && !rx_awaits(&rx, 25, 35, true);
	ok &= rx_awaits(&rx, 25, 1000, false);
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return false;
	*ref = s;
	slot_reset(s, 25, &rx);
	s->have = 1U << 1;	/* 29 came */
	ok &= rx_awaits(&rx, 25, 34, true) && !rx_awaits(&rx, 25, 35, true);
	/* The parity came, with 25 and 33 missing: one may still come. */
	s->count = 3;
	ok &= rx_awaits(&rx, 33, 34, true) && !rx_awaits(&rx, 33, 35, true);
	/* Everything it covers is in (25 was rebuilt): nothing to wait for. */
	s->have = 7;
	ok &= !rx_awaits(&rx, 25, 26, true);
	/* A parity of 2 (flushed): 33 is not covered, 29 was the last. */
	s->count = 2;
	s->have = 1U << 1;
	ok &= rx_awaits(&rx, 25, 30, true) && !rx_awaits(&rx, 25, 31, true);
	ok &= !rx_awaits(&rx, 33, 30, true);
	/* A group that can no longer be rebuilt. */
	s->bad = true;
	ok &= !rx_awaits(&rx, 25, 30, true);
	/* A newer group holds the slot; an older one (bad) is replaced. */
	slot_reset(s, 25 + MPUDP_FEC_SLOTS * 3, &rx);
	ok &= !rx_awaits(&rx, 25, 30, true);
	slot_reset(s, 25, &rx);
	s->bad = true;
	ok &= rx_awaits(&rx, 25 + MPUDP_FEC_SLOTS * 3, 30, true);
	kfree(s);
	return ok;
}

bool __init mpudp_fec_selftest(void)
{
	bool success = true;
	unsigned int i;
	u8 k;

	for (i = 0; i < ARRAY_SIZE(fec_auto_cases); i++) {
		k = mpudp_fec_auto_k(fec_auto_cases[i].cur, fec_auto_cases[i].loss);
		if (k != fec_auto_cases[i].want) {
			pr_err("fec self-test auto %u: %u, want %u\n", i + 1, k,
			       fec_auto_cases[i].want);
			success = false;
		}
	}
	if (!fec_rx_selftest()) {
		pr_err("fec self-test rx: FAIL\n");
		success = false;
	}
	if (!fec_awaits_selftest()) {
		pr_err("fec self-test awaits: FAIL\n");
		success = false;
	}
	if (!fec_tx_selftest()) {
		pr_err("fec self-test tx: FAIL\n");
		success = false;
	}
	if (success)
		pr_info("fec self-tests: pass\n");
	return success;
}
