// SPDX-License-Identifier: GPL-2.0
/*
 * Forward error correction: one parity datagram per group of k data
 * datagrams rebuilds any one of them that a path lost, before the VPN (and
 * the TCP inside it) sees the loss. proto.h describes the parity datagram.
 *
 * Groups are interleaved MPUDP_FEC_DEPTH deep (proto.h): a block of k x 4
 * consecutive sequence numbers holds 4 groups, each of every 4th. Losses
 * come in bursts on a path, and its datagrams are often consecutive, or
 * every second or third when the scheduler spreads over paths: a burst of
 * up to 4 in a row falls into 4 groups, each of which rebuilds its one.
 *
 * Sending (under t->sched_lock): each data datagram's payload is XORed into
 * its group of the open block; when the group has k, its parity goes on
 * the path the scheduler picks, as any datagram of that length would. A
 * group that traffic leaves open is flushed by the probe timer with the
 * datagrams it has (mpudp_fec_tx_due()); the rest of its sequence numbers
 * then go without parity.
 *
 * Receiving (under t->rx_lock): a group is known by its first sequence
 * number, so each data datagram's payload is XORed into its group's slot as
 * it arrives, before the VPN sees (and decrypts, in place) it. The parity
 * is XORed in as well; when the parity and all but one of the datagrams it
 * covers are in, the slot holds the missing payload and the XOR of the
 * lengths its length. That datagram is rebuilt with the headers of the one
 * that completed the group and goes through the resequencer like any
 * other. The receiver learns k and the depth from the parity datagrams:
 * only the sender is configured, and a receiver whose peer sends no parity
 * for a second stops collecting. A gap its group's parity may still
 * rebuild waits for that (receive.c) until the parity has come, or every
 * path has delivered a datagram sent after it (mpudp_fec_awaits()).
 *
 * With "fec auto" the group size follows the largest loss the peer reports
 * on the active paths (mpudp_fec_auto_k()), checked at every probe: none
 * below 0.1%, 16 up to 0.5%, 8 up to 2%, 4 up to 5%, then 2; a size is
 * kept until the loss is below 70% of where it starts, so that a loss near
 * a threshold does not make it flap.
 *
 * XOR corrects one loss per group: with losses independent at rate p, a
 * group of k + 1 datagrams loses two or more with probability about
 * (k + 1) k p^2 / 2 (0.36% for k = 8 and p = 1%); a burst of up to 4 in
 * a row counts as one loss in each of 4 groups.
 */

#include <crypto/algapi.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/udp.h>

#include <uapi/linux/mpudp.h>

#include "fec.h"
#include "reseq.h"
#include "tunnel.h"

/* A peer silent on parity this long no longer sends it. */
#define FEC_RX_STALE_NS		NSEC_PER_SEC
/* A group nothing was added to for this long is flushed (at a probe). */
#define FEC_TX_FLUSH_NS		(10 * NSEC_PER_MSEC)

/* For "fec auto": the loss (ppm) from which each group size is used. */
static const struct {
	u32 from;
	u8 k;
} auto_steps[] = {
	{ 50000, 2 }, { 20000, 4 }, { 5000, 8 }, { 1000, 16 },
};

/*
 * The group size for a loss of @loss ppm when @cur is in use (0: none):
 * the step @loss reaches, or @cur while @loss stays above 70% of its start.
 */
u8 mpudp_fec_auto_k(u8 cur, u32 loss)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(auto_steps); i++)
		if (loss >= auto_steps[i].from ||
		    (cur == auto_steps[i].k && loss >= auto_steps[i].from / 10 * 7))
			return auto_steps[i].k;
	return 0;
}

/* Empties group @j of the open block: its accumulator is zero again. */
static void tx_reset(struct mpudp_fec_tx *f, unsigned int j)
{
	struct mpudp_fec_group *g = &f->group[j];

	memset(g->acc, 0, g->max_len);
	g->count = 0;
	g->max_len = 0;
	g->len_xor = 0;
	g->closed = false;
}

/* Closes group @j of the open block without parity: its rest goes without. */
void mpudp_fec_tx_close(struct mpudp_fec_tx *f, unsigned int j)
{
	tx_reset(f, j);
	f->group[j].closed = true;
}

/* Empties every group: the next datagram starts a block. */
static void tx_invalidate(struct mpudp_fec_tx *f)
{
	unsigned int j;

	for (j = 0; j < MPUDP_FEC_DEPTH; j++)
		tx_reset(f, j);
	f->valid = false;
}

/* Puts the group size @k (0: none) in use; an open group goes without. */
static void use_k(struct mpudp_tunnel *t, u8 k)
{
	lockdep_assert_held(&t->sched_lock);

	if (t->fec_k != k) {
		WRITE_ONCE(t->fec_k, k);
		tx_invalidate(t->fec_tx);
	}
}

/*
 * Configures forward error correction: 0 (off), a group size or
 * MPUDP_FEC_AUTO (none until mpudp_fec_auto() sees loss).
 */
void mpudp_fec_configure(struct mpudp_tunnel *t, u8 cfg)
{
	spin_lock_bh(&t->sched_lock);
	WRITE_ONCE(t->fec_cfg, cfg);
	use_k(t, cfg == MPUDP_FEC_AUTO ? 0 : cfg);
	spin_unlock_bh(&t->sched_lock);
}

/* Puts @k in use if the tunnel is (still) configured "fec auto". */
void mpudp_fec_auto(struct mpudp_tunnel *t, u8 k)
{
	spin_lock_bh(&t->sched_lock);
	if (t->fec_cfg == MPUDP_FEC_AUTO)
		use_k(t, k);
	spin_unlock_bh(&t->sched_lock);
}

/* XORs @len bytes of @skb at @off into @acc. */
static void xor_skb(u8 *acc, const struct sk_buff *skb, unsigned int off,
		    unsigned int len)
{
	unsigned int pos = 0, n;
	const u8 *p;
	u8 buf[64];

	while (pos < len) {
		n = skb_headlen(skb) > off + pos ?
		    min(len - pos, skb_headlen(skb) - off - pos) :
		    min_t(unsigned int, len - pos, sizeof(buf));
		p = skb_header_pointer(skb, off + pos, n, buf);
		if (WARN_ON_ONCE(!p))
			return;
		crypto_xor(acc + pos, p, n);
		pos += n;
	}
}

/* The VPN payload of a datagram whose UDP header is at @off. */
static unsigned int payload_len(const struct sk_buff *skb, unsigned int off)
{
	return skb->len - off - sizeof(struct udphdr);
}

/*
 * Adds the data datagram @seq (UDP header at @off in @skb) to its group of
 * size @k in the open block. Returns the group's place in the block if that
 * completed it (the caller sends its parity), else -1.
 */
int mpudp_fec_tx_add(struct mpudp_fec_tx *f, u8 k, u32 seq,
		     const struct sk_buff *skb, unsigned int off, u64 now)
{
	u32 span = k * MPUDP_FEC_DEPTH, pos = seq % span;
	unsigned int len = payload_len(skb, off), j = pos % MPUDP_FEC_DEPTH;
	struct mpudp_fec_group *g = &f->group[j];

	if (!f->valid || f->block != seq - pos) {
		/* A new block; groups left open in the one before go without. */
		tx_invalidate(f);
		f->valid = true;
		f->block = seq - pos;
	}
	if (g->closed)
		return -1;
	/*
	 * Its place in the group must be the next: a group whose first went
	 * before the block started (or with parity off) goes without.
	 */
	if (pos / MPUDP_FEC_DEPTH != g->count || len > MPUDP_FEC_MAX_LEN) {
		mpudp_fec_tx_close(f, j);
		return -1;
	}
	xor_skb(g->acc, skb, off + sizeof(struct udphdr), len);
	g->last_at = now;
	g->len_xor ^= len;
	g->max_len = max_t(u16, g->max_len, len);
	return ++g->count == k ? j : -1;
}

/*
 * A group of the open block (of size @k) that has waited long enough for
 * its parity, by its place in the block; -1: none. @next_seq is the next
 * sequence number the tunnel assigns: a group that one was sent without
 * (under the redundant scheduler) has passed is stale.
 */
int mpudp_fec_tx_due(const struct mpudp_fec_tx *f, u8 k, u32 next_seq,
		     u64 now)
{
	const struct mpudp_fec_group *g;
	unsigned int j;

	if (!f->valid)
		return -1;
	for (j = 0; j < MPUDP_FEC_DEPTH; j++) {
		g = &f->group[j];
		if (!g->closed && g->count && g->count < k &&
		    next_seq - f->block <= j + g->count * MPUDP_FEC_DEPTH &&
		    now - g->last_at >= FEC_TX_FLUSH_NS)
			return j;
	}
	return -1;
}

/* The length of the payload of the parity of group @j of the open block. */
unsigned int mpudp_fec_tx_len(const struct mpudp_fec_tx *f, unsigned int j)
{
	return f->group[j].max_len;
}

/*
 * Writes what the header of the parity of group @j of the open block (of
 * size @k) says into @info and the parity into @parity
 * (mpudp_fec_tx_len() bytes), and closes the group. Returns its first
 * sequence number, for the header.
 */
u32 mpudp_fec_tx_fill(struct mpudp_fec_tx *f, u8 k, unsigned int j,
		      struct mpudp_fec *info, u8 *parity)
{
	struct mpudp_fec_group *g = &f->group[j];

	info->k = k;
	info->count = g->count;
	info->len_depth = htons(g->len_xor |
				(MPUDP_FEC_DEPTH - 1) << MPUDP_FEC_DEPTH_SHIFT);
	memcpy(parity, g->acc, g->max_len);
	mpudp_fec_tx_close(f, j);
	return f->block + j;
}

/*
 * Whether a parity datagram with the header @h and its UDP header at @off
 * (the MPUDP header stripped) makes sense (proto.h).
 */
bool mpudp_fec_check(const struct sk_buff *skb, unsigned int off,
		     const struct mpudp_hdr *h)
{
	const struct mpudp_fec *fec = &h->fec;
	u16 ld = ntohs(fec->len_depth);
	u32 depth = (ld >> MPUDP_FEC_DEPTH_SHIFT) + 1;

	return fec->k && fec->k <= MPUDP_FEC_MAX_K && fec->count &&
	       fec->count <= fec->k &&
	       ntohl(h->seq) % (fec->k * depth) < depth &&
	       payload_len(skb, off) <= MPUDP_FEC_MAX_LEN;
}

/* The receiver's state, if it collects: the peer sent parity lately. */
static struct mpudp_fec_rx *rx_active(struct mpudp_tunnel *t, u64 now)
{
	struct mpudp_fec_rx *rx = t->fec_rx;

	if (!rx || !rx->k)
		return NULL;
	if (now - rx->parity_at > FEC_RX_STALE_NS) {
		rx->k = 0;
		return NULL;
	}
	return rx;
}

static void slot_reset(struct mpudp_fec_slot *s, u32 base,
		       const struct mpudp_fec_rx *rx)
{
	memset(s->acc, 0, s->max_len);
	s->base = base;
	s->k = rx->k;
	s->depth = rx->depth;
	s->used = true;
	s->bad = false;
	s->count = 0;
	s->have = 0;
	s->len_xor = 0;
	s->max_len = 0;
}

/*
 * Where the group of @seq is kept: sets *@base to its first sequence number
 * and *@i to the place of @seq in it.
 */
static struct mpudp_fec_slot **slot_of(struct mpudp_fec_rx *rx, u32 seq,
				       u32 *base, unsigned int *i)
{
	u32 span = rx->k * rx->depth, pos = seq % span;
	u32 block = seq - pos, j = pos % rx->depth;

	*base = block + j;
	*i = pos / rx->depth;
	return &rx->slot[(block / span * rx->depth + j) % MPUDP_FEC_SLOTS];
}

/* Whether @s holds a group collected as @rx collects now. */
static bool slot_current(const struct mpudp_fec_slot *s,
			 const struct mpudp_fec_rx *rx)
{
	return s->used && s->k == rx->k && s->depth == rx->depth;
}

/*
 * The slot of the group of @seq (the place of @seq in it in *@i): a stale
 * group there is replaced. NULL without memory, or when a newer group holds
 * the slot: @seq came too late.
 */
static struct mpudp_fec_slot *slot_get(struct mpudp_fec_rx *rx, u32 seq,
				       unsigned int *i)
{
	u32 base;
	struct mpudp_fec_slot **ref = slot_of(rx, seq, &base, i), *s = *ref;

	if (!s) {
		s = kzalloc(sizeof(*s), GFP_ATOMIC | __GFP_NOWARN);
		if (!s)
			return NULL;
		*ref = s;
	}
	if (slot_current(s, rx) && s->base != base &&
	    mpudp_seq_before(base, s->base) &&
	    s->base - base < 2 * MPUDP_FEC_SLOTS * rx->k)
		return NULL;
	if (!slot_current(s, rx) || s->base != base)
		slot_reset(s, base, rx);
	return s;
}

static void slot_xor(struct mpudp_fec_slot *s, const struct sk_buff *skb,
		     unsigned int off, unsigned int len, u16 len_xor)
{
	xor_skb(s->acc, skb, off, len);
	s->len_xor ^= len_xor;
	s->max_len = max_t(u16, s->max_len, len);
}

/*
 * A datagram with the payload @data (@len bytes) and the headers of @tmpl (a
 * stripped datagram of the tunnel: IP header at data, UDP header at its
 * transport header), ready for the resequencer. NULL without memory.
 */
static struct sk_buff *rebuild(struct sk_buff *tmpl, const u8 *data,
			       unsigned int len)
{
	unsigned int off = skb_transport_offset(tmpl);
	unsigned int hlen = off + sizeof(struct udphdr);
	unsigned int ulen = sizeof(struct udphdr) + len;
	struct sk_buff *skb;
	struct udphdr *uh;

	/* The same headroom: the header offsets copied below stay right. */
	skb = alloc_skb(skb_headroom(tmpl) + hlen + len, GFP_ATOMIC);
	if (!skb)
		return NULL;
	skb_reserve(skb, skb_headroom(tmpl));
	skb_put_data(skb, tmpl->data, hlen);
	skb_put_data(skb, data, len);
	if (!skb_dst_force(tmpl)) {
		kfree_skb(skb);
		return NULL;
	}
	skb_copy_header(skb, tmpl);
	/* One datagram, whatever the template was (a UDP GRO skb). */
	skb_shinfo(skb)->gso_size = 0;
	skb_shinfo(skb)->gso_segs = 0;
	skb_shinfo(skb)->gso_type = 0;
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, off);
	skb_reset_mac_header(skb);
	uh = udp_hdr(skb);
	uh->len = htons(ulen);
	uh->check = 0;
	if (ip_hdr(skb)->version == 4) {
		struct iphdr *iph = ip_hdr(skb);

		iph->tot_len = htons(skb->len);
		ip_send_check(iph);
		uh->check = csum_tcpudp_magic(iph->saddr, iph->daddr, ulen,
					      IPPROTO_UDP,
					      csum_partial(uh, ulen, 0));
	} else {
		struct ipv6hdr *ip6h = ipv6_hdr(skb);

		ip6h->payload_len = htons(ulen);
		uh->check = csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, ulen,
					    IPPROTO_UDP,
					    csum_partial(uh, ulen, 0));
	}
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;
	skb->ip_summed = CHECKSUM_UNNECESSARY;
	dev_hold(skb->dev);
	return skb;
}

/* The datagrams the parity of @s covers, as bits of @s->have. */
static u32 covered(const struct mpudp_fec_slot *s)
{
	return s->count == 32 ? U32_MAX : (1U << s->count) - 1;
}

/*
 * Rebuilds the one datagram @s misses, if it has the parity and all the
 * others it covers, with the headers of @tmpl. Sets *@rseq to its sequence
 * number.
 */
static struct sk_buff *slot_recover(struct mpudp_fec_slot *s,
				    struct sk_buff *tmpl, u32 *rseq)
{
	struct sk_buff *skb;
	u32 missing;
	unsigned int i;

	if (!s->count || s->bad)
		return NULL;
	missing = covered(s) & ~s->have;
	if (hweight32(missing) != 1)
		return NULL;
	i = __ffs(missing);
	if (!s->len_xor || s->len_xor > s->max_len) {
		s->bad = true;
		return NULL;
	}
	skb = rebuild(tmpl, s->acc, s->len_xor);
	if (!skb)
		return NULL;
	s->have |= 1U << i;
	*rseq = s->base + i * s->depth;
	return skb;
}

/*
 * Collects the data datagram @seq (stripped, not yet resequenced). Returns a
 * datagram it lets rebuild, with *@rseq its sequence number, or NULL.
 */
struct sk_buff *mpudp_fec_rx_data(struct mpudp_tunnel *t, u32 seq,
				  struct sk_buff *skb, u64 now, u32 *rseq)
{
	unsigned int off = skb_transport_offset(skb) + sizeof(struct udphdr);
	unsigned int len = skb->len - off, i;
	struct mpudp_fec_rx *rx = rx_active(t, now);
	struct mpudp_fec_slot *s;
	u32 bit;

	if (!rx)
		return NULL;
	s = slot_get(rx, seq, &i);
	if (!s)
		return NULL;
	bit = 1U << i;
	if (s->have & bit || s->bad)
		return NULL;
	/* Beyond what the parity covers: not part of the sum. */
	if (s->count && i >= s->count)
		return NULL;
	if (len > MPUDP_FEC_MAX_LEN) {
		s->bad = true;
		return NULL;
	}
	slot_xor(s, skb, off, len, len);
	s->have |= bit;
	return slot_recover(s, skb, rseq);
}

/*
 * Collects a parity datagram, its header @h (stripped; mpudp_fec_check()
 * passed). Returns a datagram it lets rebuild, with *@rseq its sequence
 * number, or NULL.
 */
struct sk_buff *mpudp_fec_rx_parity(struct mpudp_tunnel *t,
				    const struct mpudp_hdr *h,
				    struct sk_buff *skb, u64 now, u32 *rseq)
{
	unsigned int off = skb_transport_offset(skb) + sizeof(struct udphdr);
	struct mpudp_fec_rx *rx = t->fec_rx;
	struct mpudp_fec fec = h->fec;
	u16 ld = ntohs(fec.len_depth);
	struct mpudp_fec_slot *s;
	unsigned int i;

	if (!rx) {
		/* The first parity: collecting starts with the next group. */
		rx = kzalloc(sizeof(*rx), GFP_ATOMIC | __GFP_NOWARN);
		if (!rx)
			return NULL;
		t->fec_rx = rx;
	}
	/* Slots collected otherwise are replaced as they are needed. */
	rx->k = fec.k;
	rx->depth = (ld >> MPUDP_FEC_DEPTH_SHIFT) + 1;
	rx->parity_at = now;
	s = slot_get(rx, ntohl(h->seq), &i);
	if (!s || s->count)
		return NULL;	/* too late, or a copy */
	/* Data it does not cover was summed: the sum is useless. */
	if (fec.count < 32 && s->have >> fec.count)
		s->bad = true;
	s->count = fec.count;
	slot_xor(s, skb, off, skb->len - off, ld & MPUDP_FEC_LEN_MASK);
	return slot_recover(s, skb, rseq);
}

/*
 * Whether @seq, missing, may still be rebuilt from what @rx collects: the
 * parity of its group has not come yet, or has but the others it covers
 * have not all come yet (some may be on a slower path). Unless every path
 * has delivered a datagram sent after the group's last one (@passed: the
 * first sequence number some path has not delivered, if @known): the
 * parity goes right after that one, so it has come or been lost by then.
 * (Nearly: it leaves after the lock its path sequence number was taken
 * under, and another CPU may send the next datagram in between. A parity
 * that comes after its gap was given up rebuilds a late datagram.)
 */
static bool rx_awaits(struct mpudp_fec_rx *rx, u32 seq, u32 passed,
		      bool known)
{
	struct mpudp_fec_slot *s;
	unsigned int i, count = rx->k;
	u32 base;

	s = *slot_of(rx, seq, &base, &i);
	if (s && slot_current(s, rx) && s->base == base) {
		if (s->bad)
			return false;
		/* The parity came: it covers @seq, and one is missing. */
		if (s->count && (i >= s->count || !(covered(s) & ~s->have)))
			return false;
		count = s->count ?: count;
	} else if (s && slot_current(s, rx) && mpudp_seq_after(s->base, base)) {
		/* A newer group holds its slot: it is long gone. */
		return false;
	}
	/* Nothing of the group came yet, or it is incomplete. */
	return !known ||
	       !mpudp_seq_after(passed, base + (count - 1) * rx->depth + 1);
}

/*
 * Whether @seq, missing, may still be rebuilt from the peer's parity; see
 * rx_awaits().
 */
bool mpudp_fec_awaits(struct mpudp_tunnel *t, u32 seq, u32 passed,
		      bool known, u64 now)
{
	struct mpudp_fec_rx *rx = rx_active(t, now);

	return rx && rx_awaits(rx, seq, passed, known);
}

/* Whether the peer sends parity: gaps may wait for it. */
bool mpudp_fec_collects(struct mpudp_tunnel *t, u64 now)
{
	return rx_active(t, now);
}

void mpudp_fec_rx_free(struct mpudp_fec_rx *rx)
{
	unsigned int i;

	if (!rx)
		return;
	for (i = 0; i < MPUDP_FEC_SLOTS; i++)
		kfree(rx->slot[i]);
	kfree(rx);
}

#ifdef DEBUG
#include "selftest/fec.c"
#endif
