/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MPUDP_RESEQ_H
#define _MPUDP_RESEQ_H

#include <linux/skbuff.h>
#include <linux/types.h>

/* Sequence numbers wrap: compare them like TCP does. */
static inline bool mpudp_seq_before(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}

#define mpudp_seq_after(a, b) mpudp_seq_before(b, a)

/**
 * struct mpudp_reseq_stats - what the resequencer did
 * @in_order: datagrams that arrived when they were the next one
 * @reordered: datagrams that arrived early and were held
 * @late: datagrams that arrived after their gap was given up; delivered
 * @duplicates: datagrams that had already arrived; dropped
 * @too_old: datagrams older than the duplicate window; dropped
 * @gaps_timeout: sequence numbers given up after the hold time
 * @gaps_proven: sequence numbers given up because every path had already
 *	delivered a later one
 * @gaps_lost: sequence numbers given up because their own path showed them
 *	lost (mpudp_reseq_lost())
 * @gaps_overflow: sequence numbers given up to make room in a full buffer
 * @resyncs: times the sequence was restarted (the peer restarted)
 */
struct mpudp_reseq_stats {
	u64 in_order;
	u64 reordered;
	u64 late;
	u64 duplicates;
	u64 too_old;
	u64 gaps_timeout;
	u64 gaps_proven;
	u64 gaps_lost;
	u64 gaps_overflow;
	u64 resyncs;
};

/**
 * struct mpudp_reseq_slot - a sequence number in the window
 * @skb: its datagram, held; NULL: not here
 * @arrival: when @skb came
 * @lost: without @skb: proven lost; passed over when it is the next one
 */
struct mpudp_reseq_slot {
	struct sk_buff *skb;
	u64 arrival;
	bool lost;
};

/**
 * struct mpudp_reseq - a resequencing buffer
 * @next: the next sequence number to release
 * @size: number of slots, a power of two; also the duplicate window
 * @held: datagrams in the slots
 * @lost: slots marked lost
 * @started: whether @next is known yet
 * @released: whether anything was released since the start
 * @too_old_run: consecutive datagrams older than the window
 * @seen: which of the last 2 * @size sequence numbers arrived
 * @stats: counters
 * @slot: the held datagrams, indexed by sequence number modulo @size
 *
 * Not thread safe: the owner serialises the calls. Every function releases
 * datagrams by appending them, in sequence order, to @out, and datagrams
 * that are not to be delivered to @drop; the caller delivers and frees them.
 */
struct mpudp_reseq {
	u32 next;
	u32 size;
	u32 held;
	u32 lost;
	bool started;
	bool released;
	u8 too_old_run;
	unsigned long *seen;
	struct mpudp_reseq_stats stats;
	struct mpudp_reseq_slot slot[];
};

struct mpudp_reseq *mpudp_reseq_alloc(u32 size, gfp_t gfp);
void mpudp_reseq_free(struct mpudp_reseq *r, struct sk_buff_head *drop);

void mpudp_reseq_input(struct mpudp_reseq *r, u32 seq, struct sk_buff *skb,
		       u64 now, bool starting, struct sk_buff_head *out,
		       struct sk_buff_head *drop);
void mpudp_reseq_lost_before(struct mpudp_reseq *r, u32 seq,
			     struct sk_buff_head *out);
bool mpudp_reseq_missing(const struct mpudp_reseq *r, u32 seq);
bool mpudp_reseq_lost(struct mpudp_reseq *r, u32 seq, struct sk_buff_head *out);
u64 mpudp_reseq_deadline(const struct mpudp_reseq *r, u64 hold);
void mpudp_reseq_expire(struct mpudp_reseq *r, u64 now, u64 hold, u32 from,
			u64 wait, struct sk_buff_head *out);

#ifdef DEBUG
bool mpudp_reseq_selftest(void);
#endif

#endif /* _MPUDP_RESEQ_H */
