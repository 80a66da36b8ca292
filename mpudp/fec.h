/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MPUDP_FEC_H
#define _MPUDP_FEC_H

#include <linux/skbuff.h>
#include <linux/types.h>

#include "proto.h"

struct mpudp_tunnel;

/* Groups a receiver keeps open at once. */
#define MPUDP_FEC_SLOTS		32

/**
 * struct mpudp_fec_tx - the group a sender is filling; under t->sched_lock
 * @base: its first sequence number, a multiple of the group size
 * @count: data datagrams in it so far
 * @valid: whether @base means anything yet
 * @closed: the group at @base takes no more datagrams (its parity went,
 *	or one of its datagrams could not be added)
 * @max_len: the longest payload in it
 * @len_xor: the XOR of the payload lengths
 * @last_at: when its last datagram went (ns)
 * @acc: the XOR of the payloads; zero from @max_len on
 */
struct mpudp_fec_tx {
	u32 base;
	u8 count;
	bool valid;
	bool closed;
	u16 max_len;
	u16 len_xor;
	u64 last_at;
	u8 acc[MPUDP_FEC_MAX_LEN];
};

/**
 * struct mpudp_fec_slot - a group a receiver collects
 * @base: its first sequence number
 * @k: the group size it was collected with
 * @used: whether the slot holds a group
 * @bad: the group can no longer be rebuilt (a payload too long, or data
 *	outside what the parity covers came before it)
 * @count: the datagrams the parity covers; 0: no parity yet
 * @have: bit i: the datagram @base + i arrived (or was rebuilt)
 * @len_xor: the XOR of the lengths of what arrived, the parity's included
 * @max_len: the longest of them
 * @acc: the XOR of what arrived; zero from @max_len on
 */
struct mpudp_fec_slot {
	u32 base;
	u8 k;
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
 * @parity_at: when that parity came (ns)
 * @slot: the groups, by (base / k) modulo MPUDP_FEC_SLOTS; each allocated
 *	when first needed
 */
struct mpudp_fec_rx {
	u8 k;
	u64 parity_at;
	struct mpudp_fec_slot *slot[MPUDP_FEC_SLOTS];
};

u8 mpudp_fec_auto_k(u8 cur, u32 loss);
void mpudp_fec_configure(struct mpudp_tunnel *t, u8 cfg);
void mpudp_fec_auto(struct mpudp_tunnel *t, u8 k);
bool mpudp_fec_tx_add(struct mpudp_fec_tx *f, u8 k, u32 seq,
		      const struct sk_buff *skb, unsigned int off, u64 now);
bool mpudp_fec_tx_due(const struct mpudp_fec_tx *f, u8 k, u32 next_seq,
		      u64 now);
unsigned int mpudp_fec_tx_len(const struct mpudp_fec_tx *f);
u32 mpudp_fec_tx_fill(struct mpudp_fec_tx *f, u8 k, struct mpudp_fec *info,
		      u8 *parity);
void mpudp_fec_tx_close(struct mpudp_fec_tx *f);

bool mpudp_fec_check(const struct sk_buff *skb, unsigned int off,
		     const struct mpudp_hdr *h);
struct sk_buff *mpudp_fec_rx_data(struct mpudp_tunnel *t, u32 seq,
				  struct sk_buff *skb, u64 now, u32 *rseq);
struct sk_buff *mpudp_fec_rx_parity(struct mpudp_tunnel *t,
				    const struct mpudp_hdr *h,
				    struct sk_buff *skb, u64 now, u32 *rseq);
bool mpudp_fec_awaits(struct mpudp_tunnel *t, u32 seq, u64 now);
void mpudp_fec_rx_free(struct mpudp_fec_rx *rx);

#ifdef DEBUG
bool mpudp_fec_selftest(void);
#endif

#endif /* _MPUDP_FEC_H */
