// SPDX-License-Identifier: GPL-2.0
/*
 * Resequencing: datagrams of a tunnel come back in the order they were sent.
 *
 * A datagram that is the next one is released at once, with the held ones
 * that follow it. One that is early waits in a slot of a ring indexed by its
 * sequence number. A gap in front of the held datagrams is given up when
 *  - every active path has delivered a later datagram: the paths are FIFO,
 *    so the missing one was lost (mpudp_reseq_lost_before()), or
 *  - the caller proved it lost on its own path (mpudp_reseq_lost()): a gap
 *    further on is marked, and passed over when it comes to the front, or
 *  - the earliest-arrived held datagram has waited the hold time, which the
 *    caller adapts to the delay difference of the paths (mpudp_reseq_expire();
 *    gaps the caller may still fill, from parity, can wait longer),
 *  - or the ring is full: a datagram that needs a slot beyond it releases the
 *    front instead of being dropped.
 * A datagram whose gap was given up and that arrives later is released at
 * once ("late"): the VPN above has a replay window and takes it.
 *
 * At the start nothing tells which datagram is the first: while the caller
 * says the paths are starting, everything is held and the lowest sequence
 * number seen is taken as the next one.
 * A bitmap of the last 2 * size sequence numbers finds duplicates.
 */

#include <linux/bitmap.h>
#include <linux/slab.h>

#include "reseq.h"

/* Consecutive datagrams older than the window that mean the peer restarted. */
#define RESEQ_RESYNC_AFTER	3

static struct mpudp_reseq_slot *slot_of(struct mpudp_reseq *r, u32 seq)
{
	return &r->slot[seq & (r->size - 1)];
}

static unsigned int seen_bit(const struct mpudp_reseq *r, u32 seq)
{
	return seq & (2 * r->size - 1);
}

struct mpudp_reseq *mpudp_reseq_alloc(u32 size, gfp_t gfp)
{
	struct mpudp_reseq *r;

	if (!is_power_of_2(size))
		return NULL;
	r = kvzalloc(struct_size(r, slot, size), gfp);
	if (!r)
		return NULL;
	r->seen = bitmap_zalloc(2 * size, gfp);
	if (!r->seen) {
		kvfree(r);
		return NULL;
	}
	r->size = size;
	return r;
}

/* Moves past r->next, releasing what its slot holds. */
static void advance(struct mpudp_reseq *r, struct sk_buff_head *out)
{
	struct mpudp_reseq_slot *s = slot_of(r, r->next);

	if (s->skb) {
		__skb_queue_tail(out, s->skb);
		s->skb = NULL;
		r->held--;
	}
	if (s->lost) {
		s->lost = false;
		r->lost--;
	}
	r->released = true;
	/* The bit of next + size starts a new lap: it leaves the window. */
	__clear_bit(seen_bit(r, r->next + r->size), r->seen);
	r->next++;
}

/*
 * Counts the gap at the front, if it is one, in @why, or as lost if it was
 * proven lost before.
 */
static void count_gap(struct mpudp_reseq *r, u64 *why)
{
	struct mpudp_reseq_slot *s = slot_of(r, r->next);

	if (!s->skb)
		(*(s->lost ? &r->stats.gaps_lost : why))++;
}

/* Releases what is in order at the front, passing over gaps proven lost. */
static void drain(struct mpudp_reseq *r, struct sk_buff_head *out)
{
	struct mpudp_reseq_slot *s;

	while (r->held) {
		s = slot_of(r, r->next);
		if (!s->skb && !s->lost)
			break;
		count_gap(r, &r->stats.gaps_lost);
		advance(r, out);
	}
}

/* Releases every held datagram in order and restarts at @seq. */
static void resync(struct mpudp_reseq *r, u32 seq, struct sk_buff_head *out)
{
	u32 i;

	/* Everything held is within the window: size slots at most. */
	for (i = 0; r->held && i < r->size; i++)
		advance(r, out);
	if (WARN_ON_ONCE(r->held))
		r->held = 0;
	for (i = 0; r->lost && i < r->size; i++) {
		if (r->slot[i].lost) {
			r->slot[i].lost = false;
			r->lost--;
		}
	}
	bitmap_zero(r->seen, 2 * r->size);
	r->next = seq;
	r->too_old_run = 0;
	r->stats.resyncs++;
}

void mpudp_reseq_free(struct mpudp_reseq *r, struct sk_buff_head *drop)
{
	u32 i;

	if (!r)
		return;
	for (i = 0; i < r->size; i++)
		if (r->slot[i].skb)
			__skb_queue_tail(drop, r->slot[i].skb);
	bitmap_free(r->seen);
	kvfree(r);
}

/* Handles a datagram older than r->next. */
static void input_old(struct mpudp_reseq *r, u32 seq, struct sk_buff *skb,
		      struct sk_buff_head *out, struct sk_buff_head *drop)
{
	if (r->next - seq > r->size) {
		r->stats.too_old++;
		if (++r->too_old_run < RESEQ_RESYNC_AFTER) {
			__skb_queue_tail(drop, skb);
			return;
		}
		resync(r, seq + 1, out);
		__set_bit(seen_bit(r, seq), r->seen);
		__skb_queue_tail(out, skb);
		return;
	}
	r->too_old_run = 0;
	if (test_bit(seen_bit(r, seq), r->seen)) {
		r->stats.duplicates++;
		__skb_queue_tail(drop, skb);
		return;
	}
	__set_bit(seen_bit(r, seq), r->seen);
	r->stats.late++;
	__skb_queue_tail(out, skb);
}

/*
 * Whether the window can start earlier, at @seq: the slots of [@seq,
 * r->next) are those of the top of the window now, and must be empty.
 */
static bool can_rewind(struct mpudp_reseq *r, u32 seq)
{
	struct mpudp_reseq_slot *s;

	for (; seq != r->next; seq++) {
		s = slot_of(r, seq);
		if (s->skb || s->lost)
			return false;
	}
	return true;
}

void mpudp_reseq_input(struct mpudp_reseq *r, u32 seq, struct sk_buff *skb,
		       u64 now, bool starting, struct sk_buff_head *out,
		       struct sk_buff_head *drop)
{
	struct mpudp_reseq_slot *s;

	if (unlikely(!r->started)) {
		r->started = true;
		r->next = seq;
	}
	/*
	 * Nothing released yet: an earlier datagram becomes the first, if
	 * what is held still fits the window (else it is late).
	 */
	if (unlikely(starting && !r->released && mpudp_seq_before(seq, r->next) &&
		     r->next - seq < r->size / 2 && can_rewind(r, seq)))
		r->next = seq;
	if (mpudp_seq_before(seq, r->next)) {
		input_old(r, seq, skb, out, drop);
		return;
	}
	r->too_old_run = 0;
	if (unlikely(seq - r->next >= 2 * r->size)) {
		/* Far ahead of anything we wait for: the peer restarted. */
		resync(r, seq, out);
	}
	/* No slot for it yet: release the front rather than drop. */
	if (unlikely(seq - r->next >= r->size)) {
		while (seq - r->next >= r->size) {
			count_gap(r, &r->stats.gaps_overflow);
			advance(r, out);
		}
		drain(r, out);
	}
	if (test_bit(seen_bit(r, seq), r->seen)) {
		r->stats.duplicates++;
		__skb_queue_tail(drop, skb);
		return;
	}
	__set_bit(seen_bit(r, seq), r->seen);
	s = slot_of(r, seq);
	if (unlikely(s->lost)) {
		/* Reordered on its path after all: it takes its place. */
		s->lost = false;
		r->lost--;
	}
	s->skb = skb;
	s->arrival = now;
	r->held++;
	if (seq == r->next)
		r->stats.in_order++;
	else
		r->stats.reordered++;
	/* The next one, or the one after a gap proven lost. */
	if (!starting)
		drain(r, out);
}

/*
 * Gives up every missing sequence number before @seq: the caller knows that
 * each active path has delivered @seq or a later one.
 */
void mpudp_reseq_lost_before(struct mpudp_reseq *r, u32 seq,
			     struct sk_buff_head *out)
{
	while (r->held && mpudp_seq_before(r->next, seq)) {
		count_gap(r, &r->stats.gaps_proven);
		advance(r, out);
		drain(r, out);
	}
}

/* Whether @seq is a gap of the window: not arrived, not released. */
bool mpudp_reseq_missing(const struct mpudp_reseq *r, u32 seq)
{
	return r->started && !mpudp_seq_before(seq, r->next) &&
	       seq - r->next < r->size && !test_bit(seen_bit(r, seq), r->seen);
}

/*
 * Gives up @seq alone: the caller knows that it was lost (its path delivered
 * a datagram sent after it on the same path). The front is released at once;
 * a gap further on is marked and passed over when it gets to the front.
 * Returns whether @seq was missing.
 */
bool mpudp_reseq_lost(struct mpudp_reseq *r, u32 seq, struct sk_buff_head *out)
{
	struct mpudp_reseq_slot *s;

	if (!mpudp_reseq_missing(r, seq))
		return false;
	s = slot_of(r, seq);
	if (!s->lost) {
		s->lost = true;
		r->lost++;
	}
	drain(r, out);
	return true;
}

/* The held datagram that arrived first; the caller checks r->held. */
static u32 earliest_held(struct mpudp_reseq *r)
{
	u32 seq = r->next, found = 0, best = r->next, i;
	u64 arrival = U64_MAX;
	struct mpudp_reseq_slot *s;

	for (i = 0; found < r->held && i < r->size; i++, seq++) {
		s = slot_of(r, seq);
		if (!s->skb)
			continue;
		found++;
		if (s->arrival < arrival) {
			arrival = s->arrival;
			best = seq;
		}
	}
	/* (A count that disagrees with the slots would loop here forever.) */
	if (WARN_ON_ONCE(found < r->held))
		r->held = found;
	return best;
}

/* When the gap in front must be given up; 0 if nothing is held. */
u64 mpudp_reseq_deadline(const struct mpudp_reseq *r, u64 hold)
{
	struct mpudp_reseq *rw = (struct mpudp_reseq *)r;

	if (!r->held)
		return 0;
	return slot_of(rw, earliest_held(rw))->arrival + hold;
}

/*
 * Gives up the gaps in front of every held datagram that has waited @hold,
 * and releases it and what follows it; the gaps from @from on wait @wait
 * (longer) instead: the caller may still get them (from parity).
 */
void mpudp_reseq_expire(struct mpudp_reseq *r, u64 now, u64 hold, u32 from,
			u64 wait, struct sk_buff_head *out)
{
	u32 seq, end, prev;
	u64 arrival;

	while (r->held) {
		seq = earliest_held(r);
		arrival = slot_of(r, seq)->arrival;
		if (arrival + hold > now)
			break;
		end = seq;
		if (arrival + wait > now && mpudp_seq_before(from, seq))
			end = from;
		prev = r->next;
		while (mpudp_seq_before(r->next, end)) {
			count_gap(r, &r->stats.gaps_timeout);
			advance(r, out);
		}
		/* Held at the front (from the start): released all the same. */
		drain(r, out);
		if (r->next == prev)
			break;
	}
}

#ifdef DEBUG
#include "selftest/reseq.c"
#endif
