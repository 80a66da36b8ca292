// SPDX-License-Identifier: GPL-2.0
/*
 * Receiving: a datagram that arrives on a path is checked, loses its MPUDP
 * header, gets the tunnel's primary 4-tuple back, and goes through the
 * resequencer; what the resequencer releases is handed, in order, to the UDP
 * layer, which delivers it to the VPN's socket as if it had come over the
 * primary 4-tuple.
 *
 * Every datagram the hook takes is either delivered or dropped with a
 * counter saying why. A plain (non-MPUDP) datagram on the primary 4-tuple is
 * left alone: a peer without MPUDP still has a single-path tunnel.
 *
 * The hold time of a gap follows the paths: each datagram carries its send
 * time, so arrival minus send time is the path's one-way delay plus the
 * (unknown, common) offset of the two clocks. The offset cancels in the
 * difference between paths. To that comes a margin for datagrams that
 * arrive late on their own path: at least 4 x the largest jitter + 5 ms, and
 * 1.5 x the latest such lateness seen (it decays by half every 10 s):
 *   hold = 1.25 x (largest - smallest smoothed transit) + margin,
 * at most the tunnel's max_hold. When the peer sends parity (fec.c), a gap
 * that its group's parity may still rebuild waits for that: until the
 * parity has come and shown it cannot, or every path has delivered a
 * datagram sent after the parity; but 20 ms past the hold time at most: in
 * a direction that carries little (the inner TCP's acks), a group takes
 * long to complete, and holding back what follows a loss costs more than
 * the loss.
 *
 * Gaps are usually given up much earlier: paths are mostly FIFO, so once
 * every path has delivered a later datagram, the missing one is lost. A path
 * with a hole in its own sequence numbers (a datagram of it is missing or
 * late) proves nothing until the hole is filled or a hold time old.
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <net/protocol.h>
#include <net/udp.h>

#include <uapi/linux/mpudp.h>

#include "fec.h"
#include "monitor.h"
#include "path.h"
#include "proto.h"
#include "receive.h"
#include "reseq.h"
#include "send.h"
#include "tunnel.h"

/*
 * The peer probes every path (monitor.c), so a path that delivered nothing
 * for three of its probe intervals and a margin is dark: it no longer counts,
 * neither keeping gaps open nor setting the hold time.
 */
#define PATH_DARK_MARGIN_NS	(50 * NSEC_PER_MSEC)
#define HOLD_MARGIN_NS		(5 * NSEC_PER_MSEC)
#define GRACE_MARGIN_NS		(1 * NSEC_PER_MSEC)
#define EXTENT_DECAY_NS		(10 * NSEC_PER_SEC)
/* The most a gap waits past the hold time for the peer's parity. */
#define FEC_WAIT_NS		(20ULL * NSEC_PER_MSEC)
/* The gaps looked at for one the peer's parity may still rebuild. */
#define FEC_SCAN		256
#define MIN_WINDOW_NS		(10 * NSEC_PER_SEC)

static bool path_counts(const struct mpudp_path *p, u64 now)
{
	return p->rx.started &&
	       now - p->rx.last < 3 * p->tunnel->peer_interval_ns +
				  PATH_DARK_MARGIN_NS;
}

/*
 * Whether a path of @t has not been heard from yet although the tunnel
 * started receiving less than a hold time ago: its first datagrams may still
 * be on their way, and nothing is known of its delay.
 */
static bool paths_starting(struct mpudp_tunnel *t, u64 now, u64 max_hold)
{
	struct mpudp_path *p;

	if (now - t->rx_first >= max_hold)
		return false;
	list_for_each_entry_rcu(p, &t->paths, node)
		if (!p->rx.started && !(READ_ONCE(p->flags) & MPUDP_PATH_F_BACKUP))
			return true;
	return false;
}

/* Frees datagrams that will not be delivered (they hold a device ref). */
void mpudp_rx_drop_list(struct sk_buff_head *list)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(list))) {
		dev_put(skb->dev);
		kfree_skb(skb);
	}
}

/* Hands a datagram, headers restored, to the UDP layer. Under RCU. */
static void deliver(struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;

	__skb_pull(skb, skb_network_header_len(skb));
	nf_reset_ct(skb);
	if (ip_hdr(skb)->version == 4) {
		const struct net_protocol *ipprot;

		ipprot = rcu_dereference(inet_protos[IPPROTO_UDP]);
		if (ipprot)
			ipprot->handler(skb);
		else
			kfree_skb(skb);
	} else {
		const struct inet6_protocol *ipprot;

		ipprot = rcu_dereference(inet6_protos[IPPROTO_UDP]);
		if (ipprot)
			ipprot->handler(skb);
		else
			kfree_skb(skb);
	}
	dev_put(dev);
}

/*
 * Delivers @out after what was released before it, in order: one CPU at a
 * time delivers the tunnel's ready queue, the others only append to it.
 * Called with t->rx_lock held; returns with it released.
 */
static void deliver_in_order(struct mpudp_tunnel *t, struct sk_buff_head *out)
	__releases(&t->rx_lock)
{
	struct sk_buff_head batch;
	struct sk_buff *skb;

	skb_queue_splice_tail_init(out, &t->rx_ready);
	if (t->rx_delivering || skb_queue_empty(&t->rx_ready)) {
		spin_unlock_bh(&t->rx_lock);
		return;
	}
	t->rx_delivering = true;
	__skb_queue_head_init(&batch);
	do {
		skb_queue_splice_init(&t->rx_ready, &batch);
		spin_unlock_bh(&t->rx_lock);
		rcu_read_lock();
		while ((skb = __skb_dequeue(&batch)))
			deliver(skb);
		rcu_read_unlock();
		spin_lock_bh(&t->rx_lock);
	} while (!skb_queue_empty(&t->rx_ready));
	t->rx_delivering = false;
	spin_unlock_bh(&t->rx_lock);
}

/* The hold time of a gap now; see the comment at the top. Under rx_lock. */
static u64 hold_ns(struct mpudp_tunnel *t, u64 now)
{
	u64 max_hold = (u64)READ_ONCE(t->max_hold_us) * NSEC_PER_USEC;
	s32 lo = S32_MAX, hi = S32_MIN, d;
	u32 ref = 0, jitter = 0;
	struct mpudp_path *p;
	bool first = true;
	u64 hold;

	if (paths_starting(t, now, max_hold)) {
		t->rx_hold_ns = max_hold;
		t->rx_grace_ns = max_hold;
		return max_hold;
	}
	list_for_each_entry_rcu(p, &t->paths, node) {
		if (!path_counts(p, now))
			continue;
		if (first)
			ref = mpudp_path_transit(&p->rx);
		first = false;
		d = (s32)(mpudp_path_transit(&p->rx) - ref);
		lo = min(lo, d);
		hi = max(hi, d);
		jitter = max(jitter, p->rx.jitter >> 4);
	}
	if (now - t->rx_extent_at > EXTENT_DECAY_NS) {
		t->rx_extent_ns /= 2;
		t->rx_extent_at = now;
	}
	if (first) {
		hold = max_hold;
	} else {
		hold = (u64)(hi - lo) * NSEC_PER_USEC;
		hold += hold / 4 + max(4ULL * jitter * NSEC_PER_USEC + HOLD_MARGIN_NS,
				       t->rx_extent_ns + t->rx_extent_ns / 2);
	}
	t->rx_hold_ns = min(hold, max_hold);
	/* A datagram reordered on its path: the jitter, or what came late. */
	t->rx_grace_ns = min(max(4ULL * jitter * NSEC_PER_USEC + GRACE_MARGIN_NS,
				 t->rx_extent_ns + t->rx_extent_ns / 2),
			     t->rx_hold_ns);
	return t->rx_hold_ns;
}

/*
 * The first sequence number that some path has not delivered yet: a missing
 * datagram before it would have arrived on one of them. With @holes, not
 * known while a path has a hole younger than the hold time (a datagram of
 * it may still come, reordered on the path). 0 with *valid false when this
 * is not known.
 */
static u32 paths_passed(struct mpudp_tunnel *t, u64 now, bool holes,
			bool *valid)
{
	struct mpudp_path *p;
	u32 proof = 0;

	*valid = false;
	if (paths_starting(t, now, (u64)READ_ONCE(t->max_hold_us) * NSEC_PER_USEC))
		return 0;
	list_for_each_entry_rcu(p, &t->paths, node) {
		if (!path_counts(p, now))
			continue;
		if (holes && p->rx.holes) {
			if (now - p->rx.hole_at < t->rx_hold_ns) {
				*valid = false;
				return 0;
			}
			/* An old hole was a loss. */
			p->rx.holes = 0;
		}
		if (!*valid || mpudp_seq_before(p->rx.max_seq + 1, proof))
			proof = p->rx.max_seq + 1;
		*valid = true;
	}
	return proof;
}

/* How long a gap that the peer's parity may still rebuild waits. */
static u64 fec_wait_ns(struct mpudp_tunnel *t)
{
	return min(t->rx_hold_ns + FEC_WAIT_NS,
		   (u64)READ_ONCE(t->max_hold_us) * NSEC_PER_USEC);
}

/* Whether the peer's parity may still rebuild @seq, missing. */
static bool fec_awaits(struct mpudp_tunnel *t, u32 seq, u64 now)
{
	bool known;
	u32 passed = paths_passed(t, now, false, &known);

	return mpudp_fec_awaits(t, seq, passed, known, now);
}

/*
 * The first gap, from the front on, that the peer's parity may still
 * rebuild: it and the gaps after it wait fec_wait_ns(). One past the window
 * if there is none among the first FEC_SCAN sequence numbers. Under
 * rx_lock.
 */
static u32 fec_awaited(struct mpudp_tunnel *t, u64 now)
{
	struct mpudp_reseq *r = t->reseq;
	u32 seq = r->next, end = r->next + r->size, passed;
	unsigned int n;
	bool known;

	if (!r->held || !mpudp_fec_collects(t, now))
		return end;
	passed = paths_passed(t, now, false, &known);
	for (n = 0; n < FEC_SCAN && mpudp_seq_before(seq, end); n++, seq++)
		if (mpudp_reseq_missing(r, seq) &&
		    mpudp_fec_awaits(t, seq, passed, known, now))
			return seq;
	return end;
}

/* Gives up @p's suspect (see struct mpudp_path_rx). Under rx_lock. */
static void give_up_suspect(struct mpudp_tunnel *t, struct mpudp_path *p,
			    struct sk_buff_head *out)
{
	if (mpudp_reseq_lost(t->reseq, p->rx.suspect, out) &&
	    p->rx.suspect_hole && p->rx.holes)
		p->rx.holes--;
	p->rx.suspect_at = 0;
}

/*
 * Gives up the suspects of @t's paths whose grace time is over. Returns when
 * the next one's ends, 0 if none is left. Under rx_lock.
 */
static u64 suspects_due(struct mpudp_tunnel *t, u64 now,
			struct sk_buff_head *out)
{
	struct mpudp_path *p;
	u64 next = 0, at;

	list_for_each_entry_rcu(p, &t->paths, node) {
		if (!p->rx.suspect_at)
			continue;
		at = p->rx.suspect_at + t->rx_grace_ns;
		/* Its parity may still rebuild it: wait for that. */
		if (at <= now && fec_awaits(t, p->rx.suspect, now))
			at = p->rx.suspect_at + fec_wait_ns(t);
		if (at <= now)
			give_up_suspect(t, p, out);
		else if (!next || at < next)
			next = at;
	}
	return next;
}

/*
 * @seq was rebuilt from parity: a path that showed it lost has that hole
 * explained. Under rx_lock.
 */
static void fec_rebuilt(struct mpudp_tunnel *t, u32 seq)
{
	struct mpudp_path *p;

	t->rx_fec_recovered++;
	list_for_each_entry_rcu(p, &t->paths, node) {
		if (!p->rx.suspect_at || p->rx.suspect != seq)
			continue;
		if (p->rx.suspect_hole && p->rx.holes)
			p->rx.holes--;
		p->rx.suspect_at = 0;
	}
}

/*
 * When the timer is due: the deadline of the hold time last computed (or of
 * the wait for parity, when it is the gap in front, @from on, that waits for
 * it), or @first (a suspect's, 0: none) if earlier; 0 if nothing is held.
 */
static u64 rx_deadline(struct mpudp_tunnel *t, u64 first, u32 from)
{
	u64 deadline = mpudp_reseq_deadline(t->reseq,
					    mpudp_seq_before(t->reseq->next, from) ?
					    t->rx_hold_ns : fec_wait_ns(t));

	return deadline && first && first < deadline ? first : deadline;
}

static void arm_timer(struct mpudp_tunnel *t, u64 first, u32 from)
{
	u64 deadline = rx_deadline(t, first, from);

	if (deadline)
		hrtimer_start(&t->rx_timer, ns_to_ktime(deadline),
			      HRTIMER_MODE_ABS_SOFT);
}

enum hrtimer_restart mpudp_rx_timer(struct hrtimer *timer)
{
	struct mpudp_tunnel *t = container_of(timer, struct mpudp_tunnel, rx_timer);
	u64 now, deadline, gaps;
	struct sk_buff_head out;
	u32 from;

	__skb_queue_head_init(&out);
	rcu_read_lock();
	spin_lock_bh(&t->rx_lock);
	if (t->dead) {
		spin_unlock_bh(&t->rx_lock);
		rcu_read_unlock();
		return HRTIMER_NORESTART;
	}
	now = ktime_get_ns();	/* under the lock, as in reseq() */
	gaps = t->reseq->stats.gaps_timeout;
	hold_ns(t, now);
	from = fec_awaited(t, now);
	mpudp_reseq_expire(t->reseq, now, t->rx_hold_ns, from, fec_wait_ns(t),
			   &out);
	if (t->reseq->stats.gaps_timeout != gaps)
		t->rx_gave_up_at = now;
	/* What waits for parity now: the front may have moved past @from. */
	deadline = suspects_due(t, now, &out);
	deadline = rx_deadline(t, deadline, fec_awaited(t, now));
	/*
	 * reseq() may have started the timer again while this callback waited
	 * for rx_lock: it is queued then, and its expiry must not change
	 * without the timer base's lock. That start stands.
	 */
	if (hrtimer_is_queued(timer))
		deadline = 0;
	if (deadline)
		hrtimer_set_expires(timer, ns_to_ktime(deadline));
	deliver_in_order(t, &out);
	rcu_read_unlock();
	return deadline ? HRTIMER_RESTART : HRTIMER_NORESTART;
}

/* A datagram came @late ns after it should have. Under rx_lock. */
static void note_extent(struct mpudp_tunnel *t, u64 late, u64 now)
{
	late = min_t(u64, late, (u64)READ_ONCE(t->max_hold_us) * NSEC_PER_USEC);
	if (late > t->rx_extent_ns) {
		t->rx_extent_ns = late;
		t->rx_extent_at = now;
	}
}

/* A round-trip time sample of @rx, @rtt us. Under rx_lock. */
static void rtt_sample(struct mpudp_path_rx *rx, u32 rtt, u64 now)
{
	s32 err;

	if (!rx->srtt) {
		rx->srtt = rtt << 3;
		rx->rttvar = rtt << 1;
	} else {
		/* RFC 6298: alpha 1/8, beta 1/4. */
		err = (s32)rtt - (s32)(rx->srtt >> 3);
		rx->srtt += err;
		rx->rttvar += abs(err) - (rx->rttvar >> 2);
	}
	if (!rx->min_rtt || rtt <= rx->min_rtt ||
	    now - rx->min_rtt_at > MIN_WINDOW_NS) {
		rx->min_rtt = max(rtt, 1U);
		rx->min_rtt_at = now;
	}
}

/*
 * Learns from a datagram's header about its path; @len is its IP length.
 * In a probe the sequence number is the next the peer assigns: every data
 * datagram before it on the path has been sent. Under rx_lock.
 */
static void path_learn(struct mpudp_path *p, const struct mpudp_hdr *h,
		       unsigned int len, u64 now, u32 now_us)
{
	struct mpudp_path_rx *rx = &p->rx;
	u16 path_seq = ntohs(h->path_seq);
	u32 seq = ntohl(h->seq) - (mpudp_hdr_type(h) == MPUDP_TYPE_PROBE);
	u32 transit = now_us - ntohl(h->tstamp);
	s16 gap;
	s32 d;

	if (!rx->started) {
		rx->started = true;
		rx->max_seq = seq;
		rx->next_path_seq = path_seq;
		rx->transit_base = transit;
		rx->transit_dev = 0;
		rx->last_transit = transit;
		rx->transit_min_dev = 0;
		rx->transit_min_at = now;
	}
	rx->packets++;
	rx->bytes += len;
	gap = (s16)(path_seq - rx->next_path_seq);
	if (gap > 0) {
		rx->lost += gap;
		rx->holes = min_t(u32, rx->holes + gap, 64);
		rx->hole_at = now;
	}
	if (gap >= 0) {
		rx->next_path_seq = path_seq + 1;
	} else {
		/* It was late, not lost. */
		rx->out_of_order++;
		if (rx->lost)
			rx->lost--;
		if (rx->holes) {
			note_extent(p->tunnel, now - rx->hole_at, now);
			rx->holes--;
		}
	}
	/* Forward, or far off: the peer restarted its sequence. */
	if (mpudp_seq_after(seq, rx->max_seq) ||
	    rx->max_seq - seq > 2 * MPUDP_RESEQ_SLOTS)
		rx->max_seq = seq;
	rx->last = now;

	/* Smoothed transit (1/8), its recent minimum, RFC 3550 jitter (1/16). */
	d = (s32)(transit - rx->transit_base);
	rx->transit_dev += d - (rx->transit_dev >> 3);
	if (d <= rx->transit_min_dev || now - rx->transit_min_at > MIN_WINDOW_NS) {
		rx->transit_min_dev = d;
		rx->transit_min_at = now;
	}
	d = (s32)(transit - rx->last_transit);
	rx->last_transit = transit;
	rx->jitter += abs(d) - (rx->jitter >> 4);
	/* A parity datagram has no echo (proto.h). */
	if (h->echo && mpudp_hdr_type(h) != MPUDP_TYPE_FEC) {
		d = (s32)(now_us - ntohl(h->echo));
		if (d >= 0)
			rtt_sample(rx, d, now);
	}
	WRITE_ONCE(p->echo, (u64)ntohl(h->tstamp) << 32 | now_us);
}

static void csum_replace_ip6(__sum16 *sum, const struct in6_addr *from,
			     const struct in6_addr *to)
{
	__be32 diff[] = {
		~from->s6_addr32[0], ~from->s6_addr32[1],
		~from->s6_addr32[2], ~from->s6_addr32[3],
		to->s6_addr32[0], to->s6_addr32[1],
		to->s6_addr32[2], to->s6_addr32[3],
	};

	*sum = csum_fold(csum_partial(diff, sizeof(diff), ~csum_unfold(*sum)));
}

/*
 * Updates the (complemented) UDP checksum of a datagram whose header at @off
 * loses the @hlen bytes after it and gets the tunnel's primary 4-tuple.
 */
static void strip_csum(struct sk_buff *skb, const struct mpudp_tunnel *t,
		       unsigned int off, unsigned int hlen)
{
	struct udphdr *uh = (struct udphdr *)(skb->data + off);
	__be16 new_len = htons(ntohs(uh->len) - hlen);
	__wsum gone = csum_partial(uh + 1, hlen, 0);

	csum_replace_by_diff(&uh->check, ~gone);
	csum_replace2(&uh->check, uh->source, t->tuple.remote_port);
	csum_replace2(&uh->check, uh->dest, t->tuple.local_port);
	/* The length is in the UDP header and in the pseudo-header. */
	csum_replace2(&uh->check, uh->len, new_len);
	csum_replace2(&uh->check, uh->len, new_len);
	if (t->tuple.family == AF_INET) {
		csum_replace4(&uh->check, ip_hdr(skb)->saddr, t->tuple.remote.v4);
		csum_replace4(&uh->check, ip_hdr(skb)->daddr, t->tuple.local.v4);
	} else {
		csum_replace_ip6(&uh->check, &ipv6_hdr(skb)->saddr, &t->tuple.remote.v6);
		csum_replace_ip6(&uh->check, &ipv6_hdr(skb)->daddr, &t->tuple.local.v6);
	}
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;
}

/*
 * Replaces the path's 4-tuple by the tunnel's primary one and removes the
 * header (@hlen bytes after the UDP header at @off). The checksum stays
 * right: updated in place, or, for a datagram whose checksum was never
 * computed (CHECKSUM_PARTIAL, from a local sender), set up anew.
 */
static void strip(struct sk_buff *skb, const struct mpudp_tunnel *t,
		  unsigned int off, unsigned int hlen)
{
	struct udphdr *uh = (struct udphdr *)(skb->data + off);
	bool partial = skb->ip_summed == CHECKSUM_PARTIAL;
	unsigned int ulen = ntohs(uh->len) - hlen;

	if (!partial && (uh->check || t->tuple.family == AF_INET6))
		strip_csum(skb, t, off, hlen);
	uh->source = t->tuple.remote_port;
	uh->dest = t->tuple.local_port;
	uh->len = htons(ulen);
	if (t->tuple.family == AF_INET) {
		struct iphdr *iph = ip_hdr(skb);

		iph->saddr = t->tuple.remote.v4;
		iph->daddr = t->tuple.local.v4;
		iph->tot_len = htons(ntohs(iph->tot_len) - hlen);
		ip_send_check(iph);
		if (partial)
			uh->check = ~csum_tcpudp_magic(iph->saddr, iph->daddr,
						       ulen, IPPROTO_UDP, 0);
	} else {
		struct ipv6hdr *ip6h = ipv6_hdr(skb);

		ip6h->saddr = t->tuple.remote.v6;
		ip6h->daddr = t->tuple.local.v6;
		ip6h->payload_len = htons(ulen);
		if (partial)
			uh->check = ~csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr,
						     ulen, IPPROTO_UDP, 0);
	}

	/* Move everything in front of the header forward over it. */
	memmove(skb->data + hlen, skb->data, off + sizeof(*uh));
	if (skb_mac_header_was_set(skb))
		skb->mac_header += hlen;
	__skb_pull(skb, hlen);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, off);
	if (partial)
		skb->csum_start = skb_transport_header(skb) - skb->head;
}

/* Checks the UDP checksum of the datagram at @off, unless already done. */
static bool csum_ok(struct sk_buff *skb, unsigned int off, bool v6)
{
	struct udphdr *uh = (struct udphdr *)(skb->data + off);
	bool bad;

	if (skb_csum_unnecessary(skb) || (!v6 && !uh->check))
		return true;
	/* A CHECKSUM_COMPLETE sum covers the IP header here: take it out. */
	skb_pull_rcsum(skb, off);
	if (v6)
		bad = skb_checksum_validate(skb, IPPROTO_UDP, ip6_compute_pseudo);
	else
		bad = skb_checksum_validate(skb, IPPROTO_UDP, inet_compute_pseudo);
	skb_push_rcsum(skb, off);
	if (!bad)
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	return !bad;
}

/*
 * Validates the header of a datagram on @p. Returns its length, 0 for a plain
 * datagram on the primary 4-tuple, or -1 after counting a drop.
 */
static int check_header(struct sk_buff *skb, struct mpudp_path *p,
			unsigned int off)
{
	const struct mpudp_tunnel *t = p->tunnel;
	unsigned int start = off + sizeof(struct udphdr), hlen;
	const struct mpudp_hdr *h;
	bool primary = !memcmp(&p->tuple, &t->tuple, sizeof(t->tuple));

	if (skb->len <= start || !pskb_may_pull(skb, start + 1))
		goto plain;
	if ((skb->data[start] & MPUDP_MAGIC_MASK) != MPUDP_MAGIC)
		goto plain;
	if ((skb->data[start] & ~MPUDP_MAGIC_MASK) != MPUDP_VERSION) {
		atomic64_inc(&p->rx_bad_version);
		return -1;
	}
	if (!pskb_may_pull(skb, start + MPUDP_HLEN))
		goto malformed;
	h = (const struct mpudp_hdr *)(skb->data + start);
	hlen = h->hdr_len * 4;
	if ((mpudp_hdr_type(h) != MPUDP_TYPE_DATA &&
	     mpudp_hdr_type(h) != MPUDP_TYPE_PROBE &&
	     mpudp_hdr_type(h) != MPUDP_TYPE_FEC) ||
	    hlen < MPUDP_HLEN || !pskb_may_pull(skb, start + hlen))
		goto malformed;
	if (h->tag != t->tag) {
		atomic64_inc(&p->rx_unknown_tunnel);
		return -1;
	}
	return hlen;

plain:
	if (primary)
		return 0;
malformed:
	atomic64_inc(&p->rx_malformed);
	return -1;
}

static void count_rx(struct mpudp_path *p, unsigned int bytes)
{
	struct mpudp_path_pcpu *s = this_cpu_ptr(p->pcpu);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->rx_packets);
	u64_stats_add(&s->rx_bytes, bytes);
	u64_stats_update_end(&s->syncp);
}

/*
 * Resequences and delivers a datagram of @t, header stripped; or, with
 * @probe, learns from a probe (@skb, consumed) and releases what it proves;
 * or collects a parity datagram (stripped, consumed) and delivers what it
 * rebuilds. @len: IP length of the datagram as it came.
 */
static void reseq(struct mpudp_tunnel *t, struct mpudp_path *p,
		  struct sk_buff *skb, const struct mpudp_hdr *h,
		  const struct mpudp_probe *probe, unsigned int len)
{
	bool data = mpudp_hdr_type(h) == MPUDP_TYPE_DATA;
	struct sk_buff *rebuilt = NULL;
	struct sk_buff_head out, drop;
	bool valid, starting;
	u64 now, late, first;
	u32 proof, prev, named, rseq, from;

	__skb_queue_head_init(&out);
	__skb_queue_head_init(&drop);
	spin_lock_bh(&t->rx_lock);
	/*
	 * Read under the lock: a time read before waiting for it can be
	 * older than one another CPU stored meanwhile (rx.last, peer_at).
	 */
	now = ktime_get_ns();
	if (unlikely(t->dead)) {
		spin_unlock_bh(&t->rx_lock);
		if (!data) {
			consume_skb(skb);
			return;
		}
		__skb_queue_tail(&drop, skb);
		mpudp_rx_drop_list(&drop);
		return;
	}
	path_learn(p, h, len, now, div_u64(now, NSEC_PER_USEC));
	mpudp_mon_heard(t, p, h, now);
	starting = paths_starting(t, now,
				  (u64)READ_ONCE(t->max_hold_us) * NSEC_PER_USEC);
	if (probe) {
		p->rx.probes++;
		mpudp_mon_probe(t, h, probe, now);
	} else if (!data) {
		t->rx_fec++;
		rebuilt = mpudp_fec_rx_parity(t, h, skb, now, &rseq);
	} else {
		if (unlikely(!t->rx_first))
			t->rx_first = now;
		/* Collected before the VPN gets (and decrypts) it. */
		rebuilt = mpudp_fec_rx_data(t, ntohl(h->seq), skb, now, &rseq);
		late = t->reseq->stats.late;
		mpudp_reseq_input(t->reseq, ntohl(h->seq), skb, now, starting,
				  &out, &drop);
		if (t->reseq->stats.late != late && t->rx_gave_up_at)
			note_extent(t, now - t->rx_gave_up_at, now);
	}
	if (rebuilt) {
		fec_rebuilt(t, rseq);
		mpudp_reseq_input(t->reseq, rseq, rebuilt, now, starting, &out,
				  &drop);
	}
	/*
	 * Holes in the path's sequence, and the previous data datagram the
	 * path carried has not come: the path (FIFO) lost it, unless it was
	 * reordered on the path: it is given up after the grace time. If it
	 * was the only hole, that is explained then. Another suspect on the
	 * path gives up the first at once: a later datagram passed it too
	 * (unless parity may still rebuild it).
	 * (Probes and parity name none, see proto.h; a probe that overtook the
	 * data datagram after a loss leaves the naming to that one, come late.)
	 */
	prev = data ? mpudp_hdr_prev(h) : 0;
	named = ntohl(h->seq) - prev;
	if (prev && p->rx.holes && !starting &&
	    mpudp_reseq_missing(t->reseq, named) &&
	    (!p->rx.suspect_at || p->rx.suspect != named)) {
		/* One its parity may rebuild is left to wait for that. */
		if (p->rx.suspect_at && !fec_awaits(t, p->rx.suspect, now))
			give_up_suspect(t, p, &out);
		p->rx.suspect = named;
		p->rx.suspect_at = now;
		p->rx.suspect_hole = p->rx.holes == 1;
	}
	first = 0;
	if (t->reseq->held) {
		hold_ns(t, now);
		first = suspects_due(t, now, &out);
	}
	from = fec_awaited(t, now);
	if (t->reseq->held) {
		/* Not those the peer's parity may still rebuild. */
		proof = paths_passed(t, now, true, &valid);
		if (mpudp_seq_before(from, proof))
			proof = from;
		if (valid)
			mpudp_reseq_lost_before(t->reseq, proof, &out);
	}
	if (t->reseq->held)
		arm_timer(t, first, from);
	else if (hrtimer_is_queued(&t->rx_timer))
		hrtimer_try_to_cancel(&t->rx_timer);
	deliver_in_order(t, &out);
	mpudp_rx_drop_list(&drop);
	if (!data)
		consume_skb(skb);
	if (!probe)
		mpudp_mon_busy(t, now);	/* it may kick: takes rx_lock */
}

/*
 * Checks the body of a probe at @off (after the header) and makes it linear.
 * Returns it, or NULL for a malformed one.
 */
static const struct mpudp_probe *probe_body(struct sk_buff *skb,
					    unsigned int off)
{
	const struct mpudp_probe *probe;
	unsigned int len;

	if (skb->len < off + sizeof(*probe) ||
	    !pskb_may_pull(skb, off + sizeof(*probe)))
		return NULL;
	probe = (const struct mpudp_probe *)(skb->data + off);
	len = struct_size(probe, reports, probe->n_reports) + probe->auth_len;
	if (probe->n_reports > MPUDP_MAX_PATHS || skb->len < off + len ||
	    !pskb_may_pull(skb, off + len))
		return NULL;
	return (const struct mpudp_probe *)(skb->data + off);
}

/*
 * Called by the LOCAL_IN hook, under RCU, for a datagram that came on @p;
 * @off is the offset of its UDP header.
 */
unsigned int mpudp_receive(struct mpudp_path *p, struct sk_buff *skb,
			   unsigned int off)
{
	struct mpudp_tunnel *t = p->tunnel;
	bool v6 = t->tuple.family == AF_INET6;
	const struct mpudp_probe *probe;
	struct mpudp_hdr h;
	unsigned int len;
	int hlen;

	hlen = check_header(skb, p, off);
	if (hlen == 0) {
		atomic64_inc(&t->rx_plain);
		return NF_ACCEPT;
	}
	if (hlen < 0)
		goto drop;
	if (!csum_ok(skb, off, v6)) {
		atomic64_inc(&p->rx_csum_errors);
		goto drop;
	}
	len = skb->len;
	memcpy(&h, skb->data + off + sizeof(struct udphdr), sizeof(h));
	if (mpudp_hdr_type(&h) == MPUDP_TYPE_PROBE) {
		probe = probe_body(skb, off + sizeof(struct udphdr) + hlen);
		if (!probe) {
			atomic64_inc(&p->rx_malformed);
			goto drop;
		}
		reseq(t, p, skb, &h, probe, len);
		return NF_STOLEN;
	}
	if (skb_ensure_writable(skb, off + sizeof(struct udphdr) + hlen))
		goto drop;
	strip(skb, t, off, hlen);
	if (mpudp_hdr_type(&h) == MPUDP_TYPE_FEC) {
		if (!mpudp_fec_check(skb, off, &h)) {
			atomic64_inc(&p->rx_malformed);
			goto drop;
		}
		reseq(t, p, skb, &h, NULL, len);
		return NF_STOLEN;
	}
	count_rx(p, skb->len - off - sizeof(struct udphdr));

	/* Held for a while: keep the route and the device. */
	if (!skb_dst_force(skb))
		goto drop;
	dev_hold(skb->dev);
	reseq(t, p, skb, &h, NULL, len);
	return NF_STOLEN;
drop:
	kfree_skb(skb);
	return NF_STOLEN;
}
