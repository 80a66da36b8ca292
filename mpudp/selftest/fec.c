// SPDX-License-Identifier: GPL-2.0
/*
 * Self-tests of forward error correction, built with DEBUG and run when the
 * module loads: the group size "fec auto" picks for a loss, and how the
 * sender fills, closes and flushes groups and what their parity holds.
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
static bool __init fec_test_add(struct mpudp_fec_tx *f, u8 k, u32 seq,
				unsigned int len, u64 now, bool *ok)
{
	struct sk_buff *skb = fec_test_skb(seq, len);
	bool done;

	if (!skb) {
		*ok = false;
		return false;
	}
	done = mpudp_fec_tx_add(f, k, seq, skb, 20, now);
	kfree_skb(skb);
	return done;
}

/*
 * Whether @info and @parity are those of @n datagrams from @base of lengths
 * @lens.
 */
static bool __init fec_test_parity(const struct mpudp_fec *info,
				   const u8 *parity, u8 k, u32 base,
				   const unsigned int *lens, unsigned int n)
{
	unsigned int i, j, max = 0;
	u16 len_xor = 0;
	u8 b;

	if (info->k != k || info->count != n)
		return false;
	for (i = 0; i < n; i++) {
		len_xor ^= lens[i];
		max = max(max, lens[i]);
	}
	if (ntohs(info->len_xor) != len_xor)
		return false;
	for (j = 0; j < max; j++) {
		b = 0;
		for (i = 0; i < n; i++)
			if (j < lens[i])
				b ^= (u8)((base + i) * 7 + j);
		if (parity[j] != b)
			return false;
	}
	return true;
}

static bool __init fec_tx_selftest(void)
{
	static const unsigned int lens[] = { 100, 1472, 7 };
	struct mpudp_fec info;
	struct mpudp_fec_tx *f;
	u8 *parity;
	bool ok = true;
	u64 now = 1000 * NSEC_PER_MSEC;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	parity = kzalloc(MPUDP_FEC_MAX_LEN, GFP_KERNEL);
	if (!f || !parity) {
		ok = false;
		goto out;
	}
	/* 7 is not the first of its group (6): that group goes without. */
	ok &= !fec_test_add(f, 3, 7, 50, now, &ok);
	ok &= !fec_test_add(f, 3, 8, 50, now, &ok);
	ok &= !mpudp_fec_tx_due(f, 3, 9, now + 20 * NSEC_PER_MSEC);
	/* 9, 10, 11: a whole group. */
	ok &= !fec_test_add(f, 3, 9, lens[0], now, &ok);
	ok &= !fec_test_add(f, 3, 10, lens[1], now, &ok);
	ok &= fec_test_add(f, 3, 11, lens[2], now, &ok);
	ok &= mpudp_fec_tx_len(f) == 1472;
	ok &= mpudp_fec_tx_fill(f, 3, &info, parity) == 9;
	ok &= fec_test_parity(&info, parity, 3, 9, lens, 3);
	/* 12 alone, then nothing for 10 ms: flushed with a count of 1. */
	ok &= !fec_test_add(f, 3, 12, lens[0], now, &ok);
	ok &= !mpudp_fec_tx_due(f, 3, 13, now + 9 * NSEC_PER_MSEC);
	ok &= mpudp_fec_tx_due(f, 3, 13, now + 10 * NSEC_PER_MSEC);
	/* Passed by sequence numbers sent without it: stale. */
	ok &= !mpudp_fec_tx_due(f, 3, 16, now + 10 * NSEC_PER_MSEC);
	ok &= mpudp_fec_tx_len(f) == lens[0];
	ok &= mpudp_fec_tx_fill(f, 3, &info, parity) == 12;
	ok &= fec_test_parity(&info, parity, 3, 12, lens, 1);
	/* The rest of that group goes without; the next one starts afresh. */
	ok &= !fec_test_add(f, 3, 13, 60, now, &ok);
	ok &= !fec_test_add(f, 3, 14, 60, now, &ok);
	ok &= !mpudp_fec_tx_due(f, 3, 15, now + 20 * NSEC_PER_MSEC);
	ok &= !fec_test_add(f, 3, 15, lens[0], now, &ok);
	ok &= !fec_test_add(f, 3, 16, lens[1], now, &ok);
	ok &= fec_test_add(f, 3, 17, lens[2], now, &ok);
	ok &= mpudp_fec_tx_fill(f, 3, &info, parity) == 15;
	ok &= fec_test_parity(&info, parity, 3, 15, lens, 3);
	/* A payload too long for a group closes it. */
	ok &= !fec_test_add(f, 3, 18, 10, now, &ok);
	ok &= !fec_test_add(f, 3, 19, MPUDP_FEC_MAX_LEN + 1, now, &ok);
	ok &= !fec_test_add(f, 3, 20, 10, now, &ok);
	ok &= !mpudp_fec_tx_due(f, 3, 21, now + 20 * NSEC_PER_MSEC);
	/* Sequence numbers wrap: groups stay aligned to multiples of k. */
	ok &= !fec_test_add(f, 2, U32_MAX - 1, 5, now, &ok);
	ok &= fec_test_add(f, 2, U32_MAX, 5, now, &ok);
	ok &= mpudp_fec_tx_fill(f, 2, &info, parity) == U32_MAX - 1;
out:
	kfree(parity);
	kfree(f);
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
	if (!fec_tx_selftest()) {
		pr_err("fec self-test tx: FAIL\n");
		success = false;
	}
	if (success)
		pr_info("fec self-tests: pass\n");
	return success;
}
