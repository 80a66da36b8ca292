// SPDX-License-Identifier: GPL-2.0
/*
 * The path monitor: every path of a tunnel, busy, idle or backup, is probed,
 * and each probe tells the peer what this host hears of every path.
 *
 * Probes. A timer per tunnel sends a small MPUDP_TYPE_PROBE datagram on each
 * path every probe interval: 10 ms while the tunnel carries data (a data
 * datagram went or came in the last second), 250 ms when it is idle, 1 s
 * while the peer does not answer (never, or not for 3 s). A probe has the
 * usual header, so its timestamp and echo give RTT samples as data does, and
 * a report per path: the next path sequence number expected, datagrams and
 * bytes received, time since the path was last heard, lowest transit time
 * and queueing delay (struct mpudp_report). A report about a path can come
 * on any path, so a path that goes dark is reported by the others.
 *
 * Estimates, per path, as the sender: RTT (smoothed, variation, lowest) from
 * the echoed timestamps; from the peer's reports: loss (path sequence numbers
 * against datagrams received, less the datagrams this host's own stack
 * dropped: a loss of the path, not of our queue), delivery rate (bytes
 * received over the peer's clock; the highest seen, lowered only while the
 * path has a standing queue of MPUDP_QUEUE_BUSY_US or more, since a path
 * given less than it can carry delivers less but has not lost capacity),
 * one-way delay above the fastest path (difference of the lowest transit
 * times: the unknown offset of the two clocks cancels), queueing delay
 * (smoothed transit above the lowest) and standing queue (the lowest
 * queueing delay reported over the last smoothed RTT + 20 ms).
 *
 * States. The peer's silence on a path is what its last report said plus
 * the time since that report came. A path is judged by how much longer it
 * has been silent than the least silent path: a host that stalls (its own
 * or the peer's timers and receive run late under load) makes every path
 * look silent alike, and that must not fail them. With I our probe
 * interval, P the peer's and J the path's jitter:
 *   suspect after  S = 2 I + P + 4 J + 5 ms of silence (35 ms when busy),
 *   failed after 4 S, or at once when the path's device is down.
 * When every path is silent (the peer, or all links, went away) there is
 * nothing to compare with: paths are suspect after 4 S of silence, and
 * failed after 4 S but not before the peer counts as lost (3 s). Once one
 * is heard again, the others are judged by their silence since then.
 * A suspect path carries data only when no path is active, so data leaves a
 * dark path after S; it is active again as soon as it is heard. Failing
 * takes longer so that a short stall (a busy host) costs no hysteresis. A
 * failed path goes to probing when it is heard, and to active after it has
 * been heard for 1 s (doubled for each failure less than a minute after the
 * previous one, up to 16 s), so that a flapping link does not oscillate.
 * A new path is active when first heard. Every change is a MPUDP_CMD_STATE
 * notification.
 *
 * While the peer does not answer, the path that is the tunnel's primary
 * 4-tuple is probed only after a configuration change, since a peer without
 * MPUDP would hand the probes to its VPN.
 *
 * The tunnel is probing until a path has been active, active while one is
 * active or suspect, and in fallback otherwise: with no usable path the
 * scheduler chooses none and the VPN's datagrams go plain on the primary
 * 4-tuple, which also serves a peer without MPUDP.
 */

#include <linux/netdevice.h>
#include <linux/rculist.h>

#include <uapi/linux/mpudp.h>

#include "monitor.h"
#include "netlink.h"
#include "path.h"
#include "proto.h"
#include "send.h"
#include "trace.h"
#include "tunnel.h"

#define PROBE_FAST_NS		(10 * NSEC_PER_MSEC)
#define PROBE_IDLE_NS		(250 * NSEC_PER_MSEC)
#define PROBE_SLOW_NS		NSEC_PER_SEC
#define BUSY_NS			NSEC_PER_SEC
#define PEER_LOST_NS		(3 * NSEC_PER_SEC)
#define SUSPECT_MARGIN_NS	(5 * NSEC_PER_MSEC)
#define STABLE_NS		NSEC_PER_SEC
#define FAILURES_APART_NS	(60 * NSEC_PER_SEC)
#define MAX_RECENT_FAILURES	4
#define LOSS_MIN_SEQS		64
#define RATE_SAMPLE_US		100000
#define QUEUE_WINDOW_US		20000
#define PPM			1000000

void mpudp_mon_path_init(struct mpudp_path *p)
{
	p->mon.state = MPUDP_PATH_STATE_PROBING;
	p->mon.state_at = ktime_get_ns();
}

/* Restarts the probe timer now. Under t->rx_lock. */
static void kick_locked(struct mpudp_tunnel *t)
{
	lockdep_assert_held(&t->rx_lock);
	if (!t->dead)
		hrtimer_start(&t->probe_timer, 0, HRTIMER_MODE_REL_SOFT);
}

/* Sends probes now, on every path, e.g. for a new path. */
void mpudp_mon_kick(struct mpudp_tunnel *t)
{
	spin_lock_bh(&t->rx_lock);
	t->probe_primary = true;
	kick_locked(t);
	spin_unlock_bh(&t->rx_lock);
}

/* A data datagram went or came: probe fast if the tunnel was idle. */
void mpudp_mon_busy(struct mpudp_tunnel *t, u64 now)
{
	/* Another CPU may have stored a later time. */
	s64 since = now - READ_ONCE(t->busy_at);

	if (since < (s64)NSEC_PER_MSEC)
		return;
	WRITE_ONCE(t->busy_at, now);
	if (since >= (s64)BUSY_NS && READ_ONCE(t->probe_interval_ns) > PROBE_FAST_NS)
		mpudp_mon_kick(t);
}

static bool peer_lost(const struct mpudp_tunnel *t, u64 now)
{
	return !t->peer_at || now - t->peer_at > PEER_LOST_NS;
}

/* The probe interval now. Under t->rx_lock. */
static u64 probe_interval(struct mpudp_tunnel *t, u64 now)
{
	u64 interval;

	if (peer_lost(t, now))
		interval = PROBE_SLOW_NS;
	else if ((s64)(now - READ_ONCE(t->busy_at)) < (s64)BUSY_NS)
		interval = PROBE_FAST_NS;
	else
		interval = PROBE_IDLE_NS;
	/*
	 * The peer may have heard nothing for the old interval yet. Probing
	 * slowly because the peer is silent is no reason to wait longer
	 * before calling its paths silent.
	 */
	if (interval < t->probe_interval_ns) {
		t->thresh_interval_ns = t->probe_interval_ns;
		t->thresh_until = now + t->probe_interval_ns + 100 * NSEC_PER_MSEC;
	} else if (now >= t->thresh_until && !peer_lost(t, now)) {
		t->thresh_interval_ns = interval;
	}
	WRITE_ONCE(t->probe_interval_ns, interval);
	return interval;
}

/* How long the peer has not heard @p, as far as its reports tell (ns). */
static u64 silence_ns(const struct mpudp_path *p, u64 now)
{
	if (!p->mon.report_at)
		return U64_MAX;
	return (u64)p->mon.silence * NSEC_PER_USEC +
	       (now - min(now, p->mon.report_at));
}

u32 mpudp_mon_silence_us(const struct mpudp_path *p, u64 now)
{
	u64 s = silence_ns(p, now);

	return s == U64_MAX ? U32_MAX : min_t(u64, div_u64(s, NSEC_PER_USEC), U32_MAX);
}

static void set_state(struct mpudp_path *p, u8 state, u64 now)
{
	struct mpudp_path_mon *m = &p->mon;

	if (state == MPUDP_PATH_STATE_FAILED) {
		m->failures++;
		if (m->failed_at && now - m->failed_at < FAILURES_APART_NS)
			m->recent_failures = min(m->recent_failures + 1,
						 MAX_RECENT_FAILURES);
		else
			m->recent_failures = 0;
		m->failed_at = now;
	}
	if (state == MPUDP_PATH_STATE_ACTIVE)
		m->was_active = true;
	WRITE_ONCE(m->state, state);
	m->state_at = now;
	mpudp_nl_notify_path(p);
}

/* S of the top without the jitter term: silence beyond it is news. */
static u64 silent_ns(const struct mpudp_tunnel *t)
{
	return 2 * t->thresh_interval_ns + t->peer_interval_ns +
	       SUSPECT_MARGIN_NS;
}

/*
 * Moves @p along its state machine (see the top); @least is the silence of
 * the least silent path. Under t->rx_lock.
 */
static void path_eval(struct mpudp_tunnel *t, struct mpudp_path *p,
		      u64 least, u64 now)
{
	struct mpudp_path_mon *m = &p->mon;
	u64 suspect, silence = silence_ns(p, now), rel;
	bool heard, dead;

	suspect = silent_ns(t) + 4ULL * (p->rx.jitter >> 4) * NSEC_PER_USEC;
	/* @least is the lowest of all, this path's included. */
	rel = min(silence - least, now - t->quiet_at);
	heard = rel <= suspect && silence <= 4 * suspect;
	dead = !mpudp_path_usable(p) ||
	       (m->report_at && (rel > 4 * suspect ||
				 silence > max(4 * suspect, PEER_LOST_NS)));

	switch (m->state) {
	case MPUDP_PATH_STATE_ACTIVE:
		if (dead)
			set_state(p, MPUDP_PATH_STATE_FAILED, now);
		else if (!heard)
			set_state(p, MPUDP_PATH_STATE_SUSPECT, now);
		break;
	case MPUDP_PATH_STATE_SUSPECT:
		if (dead)
			set_state(p, MPUDP_PATH_STATE_FAILED, now);
		else if (heard)
			set_state(p, MPUDP_PATH_STATE_ACTIVE, now);
		break;
	case MPUDP_PATH_STATE_FAILED:
		if (heard && !dead)
			set_state(p, MPUDP_PATH_STATE_PROBING, now);
		break;
	default:
		if (dead && m->was_active)
			set_state(p, MPUDP_PATH_STATE_FAILED, now);
		else if (heard && !dead &&
			 (!m->was_active ||
			  now - m->state_at >= STABLE_NS << m->recent_failures))
			set_state(p, MPUDP_PATH_STATE_ACTIVE, now);
	}
}

/* Re-evaluates every path and the tunnel. Under t->rx_lock. */
static void tunnel_eval(struct mpudp_tunnel *t, u64 now)
{
	bool any_report = false, active = false, was_active = false;
	u64 least = U64_MAX;
	struct mpudp_path *p;
	u32 lo = 0;
	u8 state;

	/* Transit times share the clocks' offset: the lowest is the fastest. */
	list_for_each_entry_rcu(p, &t->paths, node) {
		if (!p->mon.report_at)
			continue;
		if (!any_report || (s32)(p->mon.transit_min - lo) < 0)
			lo = p->mon.transit_min;
		any_report = true;
		least = min(least, silence_ns(p, now));
	}
	/*
	 * Every path silent: silence until one is heard again is held
	 * against none, or the first one heard would fail the others.
	 */
	if (least > silent_ns(t))
		t->quiet_at = now;
	list_for_each_entry_rcu(p, &t->paths, node) {
		if (p->mon.report_at)
			WRITE_ONCE(p->mon.delay,
				   max_t(s32, (s32)(p->mon.transit_min - lo), 0));
		path_eval(t, p, least, now);
		active |= p->mon.state == MPUDP_PATH_STATE_ACTIVE ||
			  p->mon.state == MPUDP_PATH_STATE_SUSPECT;
		was_active |= p->mon.was_active;
	}
	if (active)
		state = MPUDP_TUNNEL_STATE_ACTIVE;
	else if (was_active)
		state = MPUDP_TUNNEL_STATE_FALLBACK;
	else
		state = MPUDP_TUNNEL_STATE_PROBING;
	if (state != t->state) {
		WRITE_ONCE(t->state, state);
		mpudp_nl_notify_tunnel(t);
	}
}

/*
 * An MPUDP datagram came from the peer on @p. Under t->rx_lock: answer a
 * peer that was silent at once, so that both ends start quickly.
 */
void mpudp_mon_heard(struct mpudp_tunnel *t, struct mpudp_path *p,
		     const struct mpudp_hdr *h, u64 now)
{
	bool was_lost = peer_lost(t, now);

	p->rx.peer_id = h->path_id;
	t->peer_at = now;
	if (was_lost)
		kick_locked(t);
}

/*
 * The part of @lost, gaps the peer reports on @p before path sequence number
 * @seq, that this host made itself: datagrams its own stack dropped
 * (tx_errors; a full queue of its own). A drop counts before its gap shows
 * in a report, so the drops not matched yet are kept, as many at most as
 * the path sequence numbers the reports have not covered yet. (A probe or
 * parity datagram that could not be allocated counts in tx_errors without
 * a gap: it may hide one loss while its path sequence numbers are unseen.)
 */
static u32 own_drops(struct mpudp_path *p, u16 seq, u32 lost)
{
	struct mpudp_path_mon *m = &p->mon;
	u64 errors = atomic64_read(&p->tx_errors);
	s16 unseen = READ_ONCE(p->tx_path_seq) - seq;
	u32 own;

	m->loss_own += min_t(u64, errors - m->loss_errors, U16_MAX);
	m->loss_errors = errors;
	own = min(lost, m->loss_own);
	/* (A report beyond what was sent is bogus: nothing is kept.) */
	m->loss_own = min_t(u32, m->loss_own - own, max_t(s16, unseen, 0));
	return own;
}

/*
 * Takes the queueing delay of a report (@queue, us) into the standing queue
 * of @m, the lowest reported over the last @srtt (us) + QUEUE_WINDOW_US; at
 * @now (ns). A report is an RTT old or more, and what was sent since is in
 * the scheduler's own model already; a queue that lasts longer than that is
 * one the model missed.
 */
static void standing_update(struct mpudp_path_mon *m, u32 srtt, u32 queue,
			    u64 now)
{
	u32 win = (srtt ?: 100000) + QUEUE_WINDOW_US;

	WRITE_ONCE(m->queue_min, U32_MAX -
		   minmax_running_max(&m->queue_win, win,
				      (u32)div_u64(now, NSEC_PER_USEC),
				      U32_MAX - queue));
}

/*
 * Takes the bytes the peer received of @m's path by its clock @ts (us) into
 * the delivery rate, a sample at least every RATE_SAMPLE_US; after
 * standing_update().
 */
static void rate_update(struct mpudp_path_mon *m, u32 bytes, u32 ts)
{
	u32 dt = ts - m->rate_ts;
	u64 rate;

	if (dt < RATE_SAMPLE_US)
		return;
	rate = div_u64((u64)(bytes - m->rate_bytes) * 8 * USEC_PER_SEC, dt);
	/*
	 * Less than before says the path's capacity fell only if it was
	 * full; otherwise it was given less than it could carry. Full is a
	 * standing queue: one report above the threshold (a burst, the noise
	 * of a long path's transit times) let a path given little lower its
	 * estimate in steps, be given less still, and end at half its
	 * capacity (RTTs of 20 and 160 ms: the slow path went from 9.3 to 5
	 * Mbit/s).
	 */
	if (rate >= m->rate)
		WRITE_ONCE(m->rate, rate);
	else if (m->queue_min >= MPUDP_QUEUE_BUSY_US)
		WRITE_ONCE(m->rate, m->rate - (m->rate - rate) / 8);
	m->rate_bytes = bytes;
	m->rate_ts = ts;
}

/* Learns from one report of the peer about @p. Under t->rx_lock. */
static void report_rx(struct mpudp_path *p, const struct mpudp_report *r,
		      u32 ts, u64 now)
{
	struct mpudp_path_mon *m = &p->mon;
	u16 seq = ntohs(r->next_path_seq), dseq;
	u32 packets = ntohl(r->packets), bytes = ntohl(r->bytes);
	u32 dpk, lost, sample, queue = ntohl(r->queue);

	/* Reports come on paths of different delays: keep the newest. */
	if (m->report_at && (s32)(ts - m->report_ts) <= 0)
		return;
	m->report_at = now;
	m->report_ts = ts;
	m->silence = ntohl(r->silence);
	m->transit_min = ntohl(r->transit_min);
	WRITE_ONCE(m->queue, queue);
	mpudp_sched_report(p, seq, queue);
	standing_update(m, p->rx.srtt >> 3, queue, now);
	if (!m->ref_set) {
		m->ref_set = true;
		m->loss_seq = seq;
		m->loss_packets = packets;
		m->loss_ts = ts;
		m->loss_errors = atomic64_read(&p->tx_errors);
		m->rate_bytes = bytes;
		m->rate_ts = ts;
		goto out;
	}

	dseq = seq - m->loss_seq;
	if (dseq >= LOSS_MIN_SEQS || (dseq && ts - m->loss_ts >= USEC_PER_SEC)) {
		dpk = packets - m->loss_packets;
		lost = dpk >= dseq ? 0 : dseq - dpk;
		lost -= own_drops(p, seq, lost);
		sample = div_u64((u64)lost * PPM, dseq);
		if (m->loss || sample)
			WRITE_ONCE(m->loss, (u32)((s32)m->loss +
					    ((s32)(sample - m->loss) / 4)));
		m->loss_seq = seq;
		m->loss_packets = packets;
		m->loss_ts = ts;
	} else if (ts - m->loss_ts >= USEC_PER_SEC) {
		m->loss_ts = ts;
	}

	rate_update(m, bytes, ts);
out:
	trace_mpudp_report(p->tunnel, p, seq);
}

/*
 * A probe came from the peer; its reports (validated by the caller) say
 * what the peer hears of our paths. Under t->rx_lock.
 */
void mpudp_mon_probe(struct mpudp_tunnel *t, const struct mpudp_hdr *h,
		     const struct mpudp_probe *probe, u64 now)
{
	u32 ts = ntohl(h->tstamp);
	struct mpudp_path *p;
	unsigned int i;
	u64 interval;

	interval = clamp_t(u64, ntohs(probe->interval), 1, 2000) * NSEC_PER_MSEC;
	/* What the peer sent at its old, longer interval may still come. */
	if (interval < t->peer_interval_ns && !t->peer_interval_until) {
		t->peer_interval_until = now + t->peer_interval_ns +
					 100 * NSEC_PER_MSEC;
	} else if (interval >= t->peer_interval_ns ||
		   now >= t->peer_interval_until) {
		t->peer_interval_ns = interval;
		t->peer_interval_until = 0;
	}
	for (i = 0; i < probe->n_reports; i++) {
		p = mpudp_path_find(t, probe->reports[i].path_id);
		if (p)
			report_rx(p, &probe->reports[i], ts, now);
	}
	tunnel_eval(t, now);
}

/* Fills the reports of a probe; returns how many. Under t->rx_lock. */
static unsigned int fill_reports(struct mpudp_tunnel *t, struct mpudp_report *r,
				 u64 now)
{
	struct mpudp_path *p;
	unsigned int n = 0;
	s32 queue;
	u64 quiet;

	list_for_each_entry_rcu(p, &t->paths, node) {
		if (!p->rx.started || n == MPUDP_MAX_PATHS)
			continue;
		quiet = now - min(now, p->rx.last);
		queue = (p->rx.transit_dev >> 3) - p->rx.transit_min_dev;
		r[n] = (struct mpudp_report) {
			.path_id	= p->rx.peer_id,
			.next_path_seq	= htons(p->rx.next_path_seq),
			.packets	= htonl(p->rx.packets),
			.bytes		= htonl(p->rx.bytes),
			.silence	= htonl(min_t(u64, div_u64(quiet, NSEC_PER_USEC),
						      U32_MAX)),
			.transit_min	= htonl(p->rx.transit_base +
						p->rx.transit_min_dev),
			.queue		= htonl(max(queue, 0)),
		};
		n++;
	}
	return n;
}

static enum hrtimer_restart probe_timer(struct hrtimer *timer)
{
	struct mpudp_tunnel *t = container_of(timer, struct mpudp_tunnel,
					      probe_timer);
	struct {
		struct mpudp_probe probe;
		struct mpudp_report reports[MPUDP_MAX_PATHS];
	} body;
	enum hrtimer_restart ret = HRTIMER_NORESTART;
	struct mpudp_path *p;
	u64 now, interval;
	bool primary;
	unsigned int n;

	rcu_read_lock();
	spin_lock_bh(&t->rx_lock);
	if (t->dead) {
		spin_unlock_bh(&t->rx_lock);
		rcu_read_unlock();
		return HRTIMER_NORESTART;
	}
	/*
	 * Under the lock: read before it, the time could precede a rx.last
	 * stored meanwhile, and the silence reported would wrap to hours.
	 */
	now = ktime_get_ns();
	interval = probe_interval(t, now);
	tunnel_eval(t, now);
	n = fill_reports(t, body.reports, now);
	/*
	 * A peer without MPUDP gets probes on its VPN socket only when the
	 * tunnel or its paths change: the VPN there would take them for junk.
	 */
	primary = !peer_lost(t, now) || t->probe_primary;
	t->probe_primary = false;
	/* Restarted meanwhile (kick_locked()): that start stands. */
	if (!hrtimer_is_queued(timer)) {
		hrtimer_set_expires(timer, ns_to_ktime(now + interval));
		ret = HRTIMER_RESTART;
	}
	spin_unlock_bh(&t->rx_lock);

	memset(&body.probe, 0, sizeof(body.probe));
	body.probe.interval = htons(div_u64(interval, NSEC_PER_MSEC));
	body.probe.n_reports = n;
	list_for_each_entry_rcu(p, &t->paths, node)
		if (primary || memcmp(&p->tuple, &t->tuple, sizeof(p->tuple)))
			mpudp_send_probe(t, p, &body,
					 struct_size(&body.probe, reports, n));
	mpudp_send_fec_flush(t);
	rcu_read_unlock();
	return ret;
}

void mpudp_mon_init(struct mpudp_tunnel *t)
{
	hrtimer_init(&t->probe_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
	t->probe_timer.function = probe_timer;
	t->probe_interval_ns = PROBE_SLOW_NS;
	t->thresh_interval_ns = PROBE_SLOW_NS;
	t->peer_interval_ns = PROBE_SLOW_NS;
	t->state = MPUDP_TUNNEL_STATE_PROBING;
}

/* Called once t->dead is set: nothing starts the timer again. */
void mpudp_mon_stop(struct mpudp_tunnel *t)
{
	hrtimer_cancel(&t->probe_timer);
}

/*
 * Tier of a path for the schedulers, lower is better: active, then suspect,
 * then the same for backup paths; MPUDP_TIER_NONE: it may carry no data.
 * Under RCU.
 */
int mpudp_path_tier(const struct mpudp_path *p)
{
	u8 state = READ_ONCE(p->mon.state);
	int tier;

	if (state == MPUDP_PATH_STATE_ACTIVE)
		tier = 0;
	else if (state == MPUDP_PATH_STATE_SUSPECT)
		tier = 1;
	else
		return MPUDP_TIER_NONE;
	if (READ_ONCE(p->flags) & MPUDP_PATH_F_BACKUP)
		tier += 2;
	if (!mpudp_path_usable(p))
		return MPUDP_TIER_NONE;
	return tier;
}

/* The best tier of the tunnel's paths. Under RCU. */
int mpudp_tunnel_tier(struct mpudp_tunnel *t)
{
	int tier = MPUDP_TIER_NONE;
	struct mpudp_path *p;

	list_for_each_entry_rcu(p, &t->paths, node)
		tier = min(tier, mpudp_path_tier(p));
	return tier;
}

#ifdef DEBUG
#include "selftest/monitor.c"
#endif
