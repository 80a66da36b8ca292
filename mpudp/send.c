// SPDX-License-Identifier: GPL-2.0
/*
 * Sending: a datagram the VPN sent on the primary 4-tuple gets the tunnel's
 * next sequence number, a path from the scheduler and the MPUDP header, then
 * the path's addresses and ports, and leaves by the path's route.
 *
 * The header goes in place, between the UDP header and the payload. The UDP
 * checksum is left to the device or to the stack (CHECKSUM_PARTIAL), whatever
 * state the VPN's skb was in. A UDP GSO skb is split first, so that every
 * datagram gets its own sequence number and path.
 *
 * A datagram that no longer fits the path's MTU is fragmented, and the peer
 * reassembles it before MPUDP sees it. The exception is an IPv4 datagram with
 * the DF bit from a socket that forbids fragmenting (IP_PMTUDISC_DO): it is
 * dropped and the socket gets the ICMP "fragmentation needed" it would get
 * without MPUDP, with the path MTU less the MPUDP header, so that it sends
 * smaller datagrams. (A socket in the default IP_PMTUDISC_WANT mode sets DF
 * on datagrams that fit its idea of the MTU but lets the stack fragment.)
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <net/udp.h>

#include "fec.h"
#include "hooks.h"
#include "monitor.h"
#include "netns.h"
#include "path.h"
#include "proto.h"
#include "route.h"
#include "sched.h"
#include "send.h"
#include "trace.h"
#include "tunnel.h"

/* The echo for a datagram sent on @p now: see struct mpudp_hdr. */
static __be32 path_echo(const struct mpudp_path *p, u32 now_us)
{
	u64 echo = READ_ONCE(p->echo);

	if (!echo)
		return 0;
	return htonl((u32)(echo >> 32) + (now_us - (u32)echo));
}

/*
 * Inserts the header after the UDP header at @off and moves the IP and UDP
 * headers in front of it. Returns the new header or NULL.
 *
 * A UDP socket leaves only the link layer's room in front of its datagrams
 * (16 bytes on Ethernet), too little for the header: then, if the datagram
 * is linear and its buffer has room at the end, the payload moves back
 * instead: a copy that reallocating the buffer would make too, without the
 * allocation.
 */
static struct mpudp_hdr *push_header(struct sk_buff *skb, unsigned int off)
{
	unsigned int hlen = off + sizeof(struct udphdr);

	if (skb_headroom(skb) < MPUDP_HLEN && !skb_cloned(skb) &&
	    !skb_is_nonlinear(skb) && skb_tailroom(skb) >= MPUDP_HLEN) {
		__skb_put(skb, MPUDP_HLEN);
		memmove(skb->data + hlen + MPUDP_HLEN, skb->data + hlen,
			skb->len - hlen - MPUDP_HLEN);
		skb_set_transport_header(skb, off);
		return (struct mpudp_hdr *)(skb->data + hlen);
	}
	if (skb_cow_head(skb, MPUDP_HLEN))
		return NULL;
	__skb_push(skb, MPUDP_HLEN);
	memmove(skb->data, skb->data + MPUDP_HLEN, off + sizeof(struct udphdr));
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, off);
	return (struct mpudp_hdr *)(skb->data + off + sizeof(struct udphdr));
}

/* @fec: what a parity datagram has in place of the echo; NULL for others. */
static void fill_header(struct mpudp_hdr *h, struct mpudp_tunnel *t,
			struct mpudp_path *p, u8 type_prev, u32 seq,
			u16 path_seq, u64 now_ns, const struct mpudp_fec *fec)
{
	u32 now = div_u64(now_ns, NSEC_PER_USEC);

	h->magic_ver = MPUDP_MAGIC | MPUDP_VERSION;
	h->type_prev = type_prev;
	h->path_id = p->id;
	h->hdr_len = MPUDP_HLEN / 4;
	h->seq = htonl(seq);
	h->path_seq = htons(path_seq);
	h->tag = t->tag;
	h->tstamp = htonl(now);
	if (fec)
		h->fec = *fec;
	else
		h->echo = path_echo(p, now);
}

/* Rewrites the IP and UDP headers for the path; sets up the checksum. */
static void rewrite(struct sk_buff *skb, struct mpudp_path *p,
		    const union mpudp_ip *saddr, unsigned int off)
{
	struct udphdr *uh = (struct udphdr *)(skb->data + off);
	unsigned int ulen = skb->len - off;

	uh->source = p->tuple.local_port;
	uh->dest = p->tuple.remote_port;
	uh->len = htons(ulen);
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb_transport_header(skb) - skb->head;
	skb->csum_offset = offsetof(struct udphdr, check);
	if (p->tuple.family == AF_INET) {
		struct iphdr *iph = ip_hdr(skb);

		iph->saddr = saddr->v4;
		iph->daddr = p->tuple.remote.v4;
		iph->tot_len = htons(skb->len);
		ip_send_check(iph);
		uh->check = ~csum_tcpudp_magic(iph->saddr, iph->daddr, ulen,
					       IPPROTO_UDP, 0);
		skb->ignore_df |= !(iph->frag_off & htons(IP_DF));
	} else {
		struct ipv6hdr *ip6h = ipv6_hdr(skb);

		ip6h->saddr = saddr->v6;
		ip6h->daddr = p->tuple.remote.v6;
		ip6h->payload_len = htons(ulen);
		uh->check = ~csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, ulen,
					     IPPROTO_UDP, 0);
		/* The source host may fragment: the peer reassembles. */
		skb->ignore_df = 1;
	}
}

static void count_tx(struct mpudp_path *p, unsigned int bytes)
{
	struct mpudp_path_pcpu *s = this_cpu_ptr(p->pcpu);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->tx_packets);
	u64_stats_add(&s->tx_bytes, bytes);
	u64_stats_update_end(&s->syncp);
}

/*
 * Whether an IPv4 datagram that must not be fragmented would no longer fit
 * the path with the header; if so, tells its sender (see the top).
 */
static bool too_big4(struct sk_buff *skb, struct dst_entry *dst)
{
	unsigned int mtu = dst_mtu(dst);

	if (!(ip_hdr(skb)->frag_off & htons(IP_DF)) || skb->ignore_df ||
	    skb->len + MPUDP_HLEN <= mtu)
		return false;
	icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED,
		  htonl(mtu - MPUDP_HLEN));
	return true;
}

/*
 * Sends one datagram on @p at @now (ns); @type_prev is the header's second
 * byte, @fec what a parity datagram's header says (NULL for others). Called
 * with BHs disabled and under RCU; consumes @skb in every case.
 */
static void xmit(struct net *net, struct sock *sk, struct sk_buff *skb,
		 struct mpudp_tunnel *t, struct mpudp_path *p, u8 type_prev,
		 u32 seq, u16 path_seq, unsigned int off, u64 now,
		 const struct mpudp_fec *fec)
{
	unsigned int payload = skb->len - off - sizeof(struct udphdr);
	struct dst_entry *dst;
	union mpudp_ip saddr = p->tuple.local;
	struct mpudp_hdr *h;
	int err;

	dst = mpudp_route(net, p, &saddr);
	if (IS_ERR(dst)) {
		net_dbg_ratelimited("mpudp: tunnel %u path %u: no route (%ld)\n",
				    t->id, p->id, PTR_ERR(dst));
		goto drop;
	}
	if (p->tuple.family == AF_INET && too_big4(skb, dst)) {
		dst_release(dst);
		goto drop;
	}
	h = push_header(skb, off);
	if (!h) {
		dst_release(dst);
		goto drop;
	}
	fill_header(h, t, p, type_prev, seq, path_seq, now, fec);
	rewrite(skb, p, &saddr, off);
	skb_dst_drop(skb);
	skb_dst_set(skb, dst);
	nf_reset_ct(skb);
	if ((type_prev & MPUDP_TYPE_MASK) == MPUDP_TYPE_DATA)
		count_tx(p, payload);

	mpudp_hooks_set_nested(true);
	if (p->tuple.family == AF_INET) {
		memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
		err = ip_local_out(net, sk, skb);
	} else {
		memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));
		err = ip6_local_out(net, sk, skb);
	}
	mpudp_hooks_set_nested(false);
	if (unlikely(net_xmit_eval(err)))
		atomic64_inc(&p->tx_errors);
	return;
drop:
	atomic64_inc(&p->tx_errors);
	kfree_skb(skb);
}

/*
 * How many sequence numbers before @seq the last data datagram on @p went,
 * for the header (proto.h): 0 if not known, too far back or not on @p alone.
 * Under sched_lock.
 */
static u8 path_prev(const struct mpudp_path *p, u32 seq)
{
	u32 d = seq - p->tx_last_seq;

	if (!p->tx_last_alone || !d || d > MPUDP_PREV_MAX)
		return 0;
	return d << MPUDP_PREV_SHIFT;
}

/*
 * Sends copies of a datagram on the other paths of the redundant scheduler's
 * choice (@paths[1..n-1]); @skb itself goes on @paths[0]. BHs disabled.
 */
static void send_copies(struct mpudp_tunnel *t, struct sk_buff *skb,
			const struct nf_hook_state *state, unsigned int off,
			struct mpudp_path **paths, u16 *path_seqs, u8 *prevs,
			unsigned int n, u32 seq, u64 now)
{
	struct sk_buff *copy;
	unsigned int i;

	for (i = 1; i < n; i++) {
		copy = pskb_copy(skb, GFP_ATOMIC);
		if (!copy) {
			atomic64_inc(&paths[i]->tx_errors);
			continue;
		}
		xmit(state->net, state->sk, copy, t, paths[i],
		     MPUDP_TYPE_DATA | prevs[i], seq, path_seqs[i], off, now,
		     NULL);
	}
}

/*
 * A datagram of ours (a probe or a parity) for a path of @family with room
 * for @len bytes of body, with DF (IPv4) if @df; *@off is the offset of its
 * UDP header, the body follows the MPUDP header's room. NULL without memory.
 */
static struct sk_buff *control_skb(u16 family, unsigned int len, bool df,
				   unsigned int *off)
{
	unsigned int room = LL_MAX_HEADER + sizeof(struct ipv6hdr) +
			    sizeof(struct udphdr) + MPUDP_HLEN;
	struct sk_buff *skb;
	struct udphdr *uh;

	skb = alloc_skb(room + len, GFP_ATOMIC);
	if (!skb)
		return NULL;
	skb_reserve(skb, room);
	skb_put(skb, len);
	uh = skb_push(skb, sizeof(*uh));
	memset(uh, 0, sizeof(*uh));
	if (family == AF_INET) {
		struct iphdr *iph = skb_push(skb, sizeof(*iph));

		memset(iph, 0, sizeof(*iph));
		iph->version = 4;
		iph->ihl = sizeof(*iph) / 4;
		iph->ttl = IPDEFTTL;
		iph->protocol = IPPROTO_UDP;
		iph->frag_off = df ? htons(IP_DF) : 0;
		skb->protocol = htons(ETH_P_IP);
	} else {
		struct ipv6hdr *ip6h = skb_push(skb, sizeof(*ip6h));

		memset(ip6h, 0, sizeof(*ip6h));
		ip6h->version = 6;
		ip6h->nexthdr = IPPROTO_UDP;
		ip6h->hop_limit = IPDEFTTL;
		skb->protocol = htons(ETH_P_IPV6);
	}
	*off = skb->len - len - sizeof(*uh);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, *off);
	return skb;
}

/*
 * Sends a probe with @body on @p. Called from the probe timer (BHs disabled,
 * under RCU). The probe's sequence number is the next the tunnel assigns.
 */
void mpudp_send_probe(struct mpudp_tunnel *t, struct mpudp_path *p,
		      const void *body, unsigned int len)
{
	struct sk_buff *skb;
	unsigned int off;
	u16 path_seq;
	u32 seq;

	skb = control_skb(p->tuple.family, len, true, &off);
	if (!skb) {
		atomic64_inc(&p->tx_errors);
		return;
	}
	memcpy(skb->data + off + sizeof(struct udphdr), body, len);

	spin_lock(&t->sched_lock);
	seq = t->tx_seq;
	path_seq = p->tx_path_seq++;
	p->tx_probes++;
	spin_unlock(&t->sched_lock);
	xmit(t->mn->net, NULL, skb, t, p, MPUDP_TYPE_PROBE, seq, path_seq, off,
	     ktime_get_ns(), NULL);
}

/**
 * struct parity - a parity datagram made under sched_lock, sent after
 * @skb: the datagram; NULL: none
 * @path: the path the scheduler chose for it
 * @off: offset of its UDP header
 * @base: the first sequence number of its group
 * @path_seq: its path sequence number
 * @info: what its header says in place of the echo
 */
struct parity {
	struct sk_buff *skb;
	struct mpudp_path *path;
	unsigned int off;
	u32 base;
	u16 path_seq;
	struct mpudp_fec info;
};

/*
 * Makes the parity of group @j of the tunnel's open block and has the
 * scheduler choose its path. Under sched_lock; @par->skb stays NULL if it
 * cannot go.
 */
static void make_parity(struct mpudp_tunnel *t,
			const struct mpudp_sched_ops *sched, unsigned int j,
			u64 now, struct parity *par)
{
	unsigned int len = mpudp_fec_tx_len(t->fec_tx, j);
	struct mpudp_path *p;

	p = sched->select(t, len, now);
	/*
	 * As long as the longest of its group: fragmented where it is, so
	 * no DF (IPv4; an IPv6 source host fragments anyway).
	 */
	par->skb = p ? control_skb(p->tuple.family, len, false, &par->off) : NULL;
	if (!par->skb) {
		if (p)
			atomic64_inc(&p->tx_errors);
		mpudp_fec_tx_close(t->fec_tx, j);
		return;
	}
	par->base = mpudp_fec_tx_fill(t->fec_tx, t->fec_k, j, &par->info,
				      par->skb->data + par->off +
				      sizeof(struct udphdr));
	par->path = p;
	par->path_seq = p->tx_path_seq++;
	trace_mpudp_send(t, p, true, par->base, par->path_seq, len, now);
}

/* Sends what make_parity() made. BHs disabled, under RCU. */
static void send_parity(struct net *net, struct mpudp_tunnel *t,
			struct parity *par, u64 now)
{
	if (!par->skb)
		return;
	atomic64_inc(&t->tx_fec);
	xmit(net, NULL, par->skb, t, par->path, MPUDP_TYPE_FEC, par->base,
	     par->path_seq, par->off, now, &par->info);
}

/* The largest loss (ppm) the peer reports on the active paths. Under RCU. */
static u32 active_loss(struct mpudp_tunnel *t)
{
	struct mpudp_path *p;
	u32 loss = 0;

	list_for_each_entry_rcu(p, &t->paths, node)
		if (mpudp_path_tier(p) == 0)
			loss = max(loss, READ_ONCE(p->mon.loss));
	return loss;
}

/*
 * Sets the group size of "fec auto", and sends the parity of a group that
 * traffic left open (fec.c). Called from the probe timer (BHs disabled,
 * under RCU).
 */
void mpudp_send_fec_flush(struct mpudp_tunnel *t)
{
	struct parity par = {};
	unsigned int i;
	u64 now;
	int j;
	u8 k;

	if (READ_ONCE(t->fec_cfg) == MPUDP_FEC_AUTO) {
		k = mpudp_fec_auto_k(READ_ONCE(t->fec_k), active_loss(t));
		if (k != READ_ONCE(t->fec_k))
			mpudp_fec_auto(t, k);
	}
	if (!READ_ONCE(t->fec_k))
		return;
	/* One at a time: each of the block's groups may be due. */
	for (i = 0; i < MPUDP_FEC_DEPTH; i++) {
		par.skb = NULL;
		spin_lock(&t->sched_lock);
		now = ktime_get_ns();
		j = t->fec_k ? mpudp_fec_tx_due(t->fec_tx, t->fec_k, t->tx_seq,
						now) : -1;
		if (j >= 0) {
			const struct mpudp_sched_ops *sched = rcu_dereference(t->sched);

			if (sched->select)
				make_parity(t, sched, j, now, &par);
			else
				mpudp_fec_tx_close(t->fec_tx, j);
		}
		spin_unlock(&t->sched_lock);
		if (j < 0)
			break;
		send_parity(t->mn->net, t, &par, now);
	}
}

/* Returns the verdict for one datagram (not GSO). */
static unsigned int send_one(struct mpudp_tunnel *t, struct sk_buff *skb,
			     const struct nf_hook_state *state,
			     unsigned int off)
{
	const struct mpudp_sched_ops *sched;
	struct mpudp_path *paths[MPUDP_MAX_PATHS];
	u16 path_seqs[MPUDP_MAX_PATHS];
	u8 prevs[MPUDP_MAX_PATHS];
	struct parity par = {};
	unsigned int n = 0, i;
	u32 seq = 0;
	u64 now;
	int j;

	local_bh_disable();
	sched = rcu_dereference(t->sched);
	spin_lock(&t->sched_lock);
	/* One clock read per datagram: the scheduler, the monitor, the header. */
	now = ktime_get_ns();
	if (sched->select_all) {
		n = sched->select_all(t, paths);
	} else {
		paths[0] = sched->select(t, skb->len - off, now);
		n = !!paths[0];
	}
	if (n) {
		seq = t->tx_seq++;
		for (i = 0; i < n; i++) {
			path_seqs[i] = paths[i]->tx_path_seq++;
			trace_mpudp_send(t, paths[i], false, seq, path_seqs[i],
					 skb->len - off - sizeof(struct udphdr),
					 now);
			prevs[i] = path_prev(paths[i], seq);
			paths[i]->tx_last_seq = seq;
			paths[i]->tx_last_alone = n == 1;
		}
		/* Not with copies on every path: nothing to correct. */
		if (t->fec_k && !sched->select_all) {
			j = mpudp_fec_tx_add(t->fec_tx, t->fec_k, seq, skb, off,
					     now);
			if (j >= 0)
				make_parity(t, sched, j, now, &par);
		}
	}
	spin_unlock(&t->sched_lock);
	if (!n) {
		/* No path: the datagram goes as it is, on the primary 4-tuple. */
		local_bh_enable();
		atomic64_inc(&t->tx_plain);
		return NF_ACCEPT;
	}
	mpudp_mon_busy(t, now);
	if (n > 1)
		send_copies(t, skb, state, off, paths, path_seqs, prevs, n, seq,
			    now);
	xmit(state->net, state->sk, skb, t, paths[0], MPUDP_TYPE_DATA | prevs[0],
	     seq, path_seqs[0], off, now, NULL);
	send_parity(state->net, t, &par, now);
	local_bh_enable();
	return NF_STOLEN;
}

/* Called by the LOCAL_OUT hook, under RCU, for a datagram of @t. */
unsigned int mpudp_send(struct mpudp_tunnel *t, struct sk_buff *skb,
			const struct nf_hook_state *state, unsigned int off)
{
	struct sk_buff *segs, *seg, *next;

	if (!skb_is_gso(skb))
		return send_one(t, skb, state, off);

	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs)) {
		atomic64_inc(&t->tx_plain);
		return NF_ACCEPT;
	}
	consume_skb(skb);
	skb_list_walk_safe(segs, seg, next) {
		skb_mark_not_on_list(seg);
		if (send_one(t, seg, state, off) == NF_ACCEPT) {
			/* No path any more: let the segment go as it is. */
			if (state->pf == NFPROTO_IPV4)
				ip_local_out(state->net, state->sk, seg);
			else
				ip6_local_out(state->net, state->sk, seg);
		}
	}
	return NF_STOLEN;
}
