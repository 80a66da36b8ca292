/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MPUDP_FEC_H
#define _MPUDP_FEC_H

#include <linux/skbuff.h>
#include <linux/types.h>

#include "proto.h"

struct mpudp_tunnel;

/*
 * Groups a receiver keeps open at once: as many as start in what the paths'
 * delay difference holds back (at 10 + 10 Mbit/s and 60 ms, about 100
 * datagrams: 25 groups of 4), and the 4 of a block.
 */
#define MPUDP_FEC_SLOTS		64
/*
 * The depth a sender interleaves its groups: a burst of up to 4 losses in a
 * row, or of 2 on one of up to 3 paths taking turns, hits 4 groups.
 */
#define MPUDP_FEC_DEPTH		4

/**
 * struct mpudp_fec_group - a group a sender is filling
 * @count: data datagrams in it so far
 * @closed: it takes no more datagrams (its parity went, or one of its
 *	datagrams could not be added)
 * @max_len: the longest payload in it
 * @len_xor: the XOR of the payload lengths
 * @last_at: when its last datagram went (ns)
 * @acc: the XOR of the payloads; zero from @max_len on
 */
struct mpudp_fec_group {
	u8 count;
	bool closed;
	u16 max_len;
	u16 len_xor;
	u64 last_at;
	u8 acc[MPUDP_FEC_MAX_LEN];
};

/**
 * struct mpudp_fec_tx - the block of groups a sender is filling; under
 *	t->sched_lock
 * @block: its first sequence number, a multiple of k x MPUDP_FEC_DEPTH
 * @valid: whether @block means anything yet
 * @group: its groups; group j has the sequence numbers @block + j + i x
 *	MPUDP_FEC_DEPTH
 */
struct mpudp_fec_tx {
	u32 block;
	bool valid;
	struct mpudp_fec_group group[MPUDP_FEC_DEPTH];
};

/**
 * struct mpudp_fec_slot - a group a receiver collects
 * @base: its first sequence number
 * @k: the group size it was collected with
 * @depth: and the depth
 * @used: whether the slot holds a group
 * @bad: the group can no longer be rebuilt (a payload too long, or data
 *	outside what the parity covers came before it)
 * @count: the datagrams the parity covers; 0: no parity yet
 * @have: bit i: the datagram @base + i x @depth arrived (or was rebuilt)
 * @len_xor: the XOR of the lengths of what arrived, the parity's included
 * @max_len: the longest of them
 * @acc: the XOR of what arrived; zero from @max_len on
 */
struct mpudp_fec_slot {
	u32 base;
	u8 k;
	u8 depth;
	bool used;
	bool bad;
	u8 count;
	u32 have;
	u16 len_xor;
	u16 max_len;
	u8 acc[MPUDP_FEC_MAX_LEN];
};

/**
 * struct mpudp_fec_rx - what a receiver collects; under t->rx_lock
 * @k: the group size of the peer's last parity; 0: the peer sends none
 * @depth: and its depth
 * @parity_at: when that parity came (ns)
 * @slot: the groups, by their number (the block's number x depth + the
 *	group's place in it) modulo MPUDP_FEC_SLOTS; each allocated when first
 *	needed
 */
struct mpudp_fec_rx {
	u8 k;
	u8 depth;
	u64 parity_at;
	struct mpudp_fec_slot *slot[MPUDP_FEC_SLOTS];
};

u8 mpudp_fec_auto_k(u8 cur, u32 loss);
void mpudp_fec_configure(struct mpudp_tunnel *t, u8 cfg);
void mpudp_fec_auto(struct mpudp_tunnel *t, u8 k);
int mpudp_fec_tx_add(struct mpudp_fec_tx *f, u8 k, u32 seq,
		     const struct sk_buff *skb, unsigned int off, u64 now);
int mpudp_fec_tx_due(const struct mpudp_fec_tx *f, u8 k, u32 next_seq,
		     u64 now);
unsigned int mpudp_fec_tx_len(const struct mpudp_fec_tx *f, unsigned int j);
u32 mpudp_fec_tx_fill(struct mpudp_fec_tx *f, u8 k, unsigned int j,
		      struct mpudp_fec *info, u8 *parity);
void mpudp_fec_tx_close(struct mpudp_fec_tx *f, unsigned int j);

bool mpudp_fec_check(const struct sk_buff *skb, unsigned int off,
		     const struct mpudp_hdr *h);
struct sk_buff *mpudp_fec_rx_data(struct mpudp_tunnel *t, u32 seq,
				  struct sk_buff *skb, u64 now, u32 *rseq);
struct sk_buff *mpudp_fec_rx_parity(struct mpudp_tunnel *t,
				    const struct mpudp_hdr *h,
				    struct sk_buff *skb, u64 now, u32 *rseq);
bool mpudp_fec_awaits(struct mpudp_tunnel *t, u32 seq, u32 passed,
		      bool known, u64 now);
bool mpudp_fec_collects(struct mpudp_tunnel *t, u64 now);
void mpudp_fec_rx_free(struct mpudp_fec_rx *rx);

#ifdef DEBUG
bool mpudp_fec_selftest(void);
#endif

#endif /* _MPUDP_FEC_H */
