/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MPUDP_PATH_H
#define _MPUDP_PATH_H

#include <linux/u64_stats_sync.h>
#include <linux/win_minmax.h>
#include <net/dst_cache.h>

#include "tunnel.h"

/**
 * struct mpudp_path_pcpu - per-CPU counters of a path
 * @tx_packets: datagrams sent on the path
 * @tx_bytes: their VPN payload bytes
 * @rx_packets: datagrams received on the path
 * @rx_bytes: their VPN payload bytes
 * @syncp: for 64-bit reads on 32-bit hosts
 */
struct mpudp_path_pcpu {
	u64_stats_t tx_packets;
	u64_stats_t tx_bytes;
	u64_stats_t rx_packets;
	u64_stats_t rx_bytes;
	struct u64_stats_sync syncp;
};

/**
 * struct mpudp_path_rx - what the receiver learns of a path; under the
 * tunnel's rx_lock
 * @last: when the last datagram arrived (ns, ktime_get_ns())
 * @max_seq: the highest tunnel sequence number that arrived on the path
 * @next_path_seq: the path sequence number expected next
 * @started: whether the fields above hold anything yet
 * @transit_base: the first transit time (arrival minus send time, in us,
 *	with the unknown offset of the two clocks, modulo 2^32)
 * @transit_dev: smoothed transit time minus @transit_base, us << 3; see
 *	mpudp_path_transit()
 * @last_transit: the transit time of the last datagram, us
 * @jitter: RFC 3550 interarrival jitter, us << 4
 * @srtt: smoothed round-trip time from the echoed timestamps, us << 3
 * @lost: path sequence numbers that did not arrive (yet)
 * @out_of_order: datagrams that arrived after a later one of the path
 * @holes: path sequence numbers missing since @hole_at, that may still come
 * @hole_at: when the last hole appeared (ns); 0: none
 * @packets: datagrams (data and probes) received, mod 2^32, for reports
 * @bytes: their IP bytes, mod 2^32, for reports
 * @peer_id: the id the peer gives the path in its headers
 * @transit_min_dev: the lowest transit lately, minus @transit_base, us
 * @transit_min_at: when @transit_min_dev was set (ns)
 * @rttvar: RTT variation, us << 2
 * @min_rtt: lowest RTT lately, us; 0: none yet
 * @min_rtt_at: when @min_rtt was set (ns)
 * @probes: probes received
 * @suspect: a tunnel sequence number the path showed lost (a hole, and a
 *	later data datagram on the path came), given up after the grace time
 * @suspect_at: when; 0: no suspect
 * @suspect_hole: whether @suspect explains a hole (the only one missing)
 */
struct mpudp_path_rx {
	u64 last;
	u32 max_seq;
	u16 next_path_seq;
	bool started;
	u32 transit_base;
	s32 transit_dev;
	u32 last_transit;
	u32 jitter;
	u32 srtt;
	u64 lost;
	u64 out_of_order;
	u32 holes;
	u64 hole_at;
	u32 packets;
	u32 bytes;
	u8 peer_id;
	s32 transit_min_dev;
	u64 transit_min_at;
	u32 rttvar;
	u32 min_rtt;
	u64 min_rtt_at;
	u32 suspect;
	u64 suspect_at;
	bool suspect_hole;
	u64 probes;
};

/**
 * struct mpudp_path_mon - what the sender knows of a path from the peer's
 * reports (monitor.c); under the tunnel's rx_lock, read by schedulers with
 * READ_ONCE()
 * @state: enum mpudp_path_state
 * @was_active: the path has been active
 * @state_at: when @state was entered (ns)
 * @failed_at: when the path last failed (ns)
 * @recent_failures: failures in a row less than a minute apart, at most 4;
 *	a failed path must be heard for 1 s << @recent_failures to come back
 * @failures: times the path failed
 * @report_at: when the last report on the path arrived (ns); 0: none yet
 * @report_ts: the peer's clock when it sent that report (us)
 * @silence: how long the peer had not heard the path then (us)
 * @transit_min: the peer's lowest transit time of the path (us, with the
 *	clocks' offset)
 * @queue: the peer's queueing delay of the path (us)
 * @queue_min: the path's standing queue: the lowest @queue reported over
 *	the last smoothed RTT + 20 ms (us)
 * @queue_win: the windowed minimum behind @queue_min, of U32_MAX - @queue
 *	(the kernel's filter keeps a running maximum)
 * @delay: one-way delay above the fastest path (us)
 * @loss: loss the peer sees, ppm
 * @rate: delivery rate the peer sees, bit/s
 * @ref_set: whether the references below hold anything
 * @loss_seq: path sequence number of the loss reference
 * @loss_packets: received packets of the loss reference
 * @loss_ts: peer's clock of the loss reference
 * @rate_bytes: received bytes of the rate reference
 * @rate_ts: peer's clock of the rate reference
 */
struct mpudp_path_mon {
	u8 state;
	bool was_active;
	u64 state_at;
	u64 failed_at;
	u32 recent_failures;
	u64 failures;
	u64 report_at;
	u32 report_ts;
	u32 silence;
	u32 transit_min;
	u32 queue;
	u32 queue_min;
	struct minmax queue_win;
	u32 delay;
	u32 loss;
	u64 rate;
	bool ref_set;
	u16 loss_seq;
	u32 loss_packets;
	u32 loss_ts;
	u64 loss_errors;
	u32 loss_own;
	u32 rate_bytes;
	u32 rate_ts;
};

#define MPUDP_SCHED_MARKS	64

/**
 * struct mpudp_sched_mark - how long the datagrams up to one were to wait
 * in the edpf scheduler's virtual queue of their path, to compare with what
 * the peer reports of them (sched_edpf.c)
 * @at: when it was sent (ns); 0: the mark is unused
 * @path_seq: its path sequence number
 * @gen: the path's @sched_gen when it was sent
 * @wait: the path's smoothed wait then (@sched_wait), us
 */
struct mpudp_sched_mark {
	u64 at;
	u16 path_seq;
	u16 gen;
	u32 wait;
};

/**
 * struct mpudp_path - one way from this host to the tunnel's peer
 * @node: in mpudp_tunnel.paths
 * @tunnel: the tunnel; immutable
 * @tuple: the path's 4-tuple (local address all zero: chosen by routing);
 *	immutable
 * @ifindex: output device, 0 to leave it to routing; immutable
 * @id: 1 to MPUDP_MAX_PATHS, unique in the tunnel; immutable
 * @weight: split ratio for the weighted scheduler; written under the
 *	namespace's lock, read with READ_ONCE()
 * @flags: enum mpudp_path_flags; as @weight
 * @rate_cap: the most the edpf and minrtt schedulers give the path, bit/s;
 *	0: no cap; as @weight
 * @sched_credit: scheduler state; under the tunnel's sched_lock
 * @sched_free: scheduler state: when the path will have sent what it was
 *	given (ns); sched_lock
 * @sched_marks: scheduler state: a ring of marks of datagrams sent on the
 *	path, up to 32 per RTT; sched_lock
 * @sched_mark_next: where the next mark goes in @sched_marks; sched_lock
 * @sched_gen: changes when the virtual queue is corrected; sched_lock
 * @sched_rate: a rate the scheduler tries, above the monitor's estimate,
 *	while the path drains all it is given, bit/s; 0: none (sched_edpf.c);
 *	sched_lock
 * @sched_report: the peer's last report of the path for the scheduler:
 *	mpudp_sched_report(); 0 once taken
 * @sched_wait: the wait of the datagrams given to the path in the virtual
 *	queue, smoothed as the peer smoothes their transit (1/8 each), us << 3;
 *	sched_lock
 * @tx_path_seq: the next path sequence number to send; sched_lock
 * @tx_last_seq: the tunnel sequence number of the last data datagram sent on
 *	the path; sched_lock
 * @tx_last_alone: whether it went on this path alone (not as one of several
 *	copies); false before the first; sched_lock
 * @tx_probes: probes sent; sched_lock
 * @rx_node: in mpudp_net.paths, keyed by @tuple (the receive demux)
 * @dst_cache: the route of the path
 * @pcpu: per-CPU counters
 * @tx_errors: datagrams that could not be sent on the path; atomic
 * @rx_malformed: datagrams too short, of an unknown type or with a bad length
 * @rx_bad_version: datagrams of an MPUDP version this module does not speak
 * @rx_unknown_tunnel: datagrams whose tag is not the tunnel's
 * @rx_csum_errors: datagrams with a bad UDP checksum
 * @echo: the last timestamp received on the path (high 32 bits) and when it
 *	arrived (low 32 bits, us); written by the receiver, read by the sender
 * @rx: receive state, under the tunnel's rx_lock
 * @mon: monitor state, under the tunnel's rx_lock
 * @free_work: frees the path after a grace period, in process context
 */
struct mpudp_path {
	struct list_head node;
	struct mpudp_tunnel *tunnel;
	struct mpudp_tuple tuple;
	int ifindex;
	u8 id;
	u32 weight;
	u32 flags;
	u64 rate_cap;
	s32 sched_credit;
	u64 sched_free;
	struct mpudp_sched_mark sched_marks[MPUDP_SCHED_MARKS];
	u8 sched_mark_next;
	u16 sched_gen;
	u64 sched_rate;
	u32 sched_wait;
	atomic64_t sched_report;
	u16 tx_path_seq;
	u32 tx_last_seq;
	bool tx_last_alone;
	u64 tx_probes;
	struct rhash_head rx_node;
	struct dst_cache dst_cache;
	struct mpudp_path_pcpu __percpu *pcpu;
	atomic64_t tx_errors;
	atomic64_t rx_malformed;
	atomic64_t rx_bad_version;
	atomic64_t rx_unknown_tunnel;
	atomic64_t rx_csum_errors;
	u64 echo;
	struct mpudp_path_rx rx;
	struct mpudp_path_mon mon;
	struct rcu_work free_work;
};

/**
 * struct mpudp_path_cfg - what a new path is made of
 * @tuple: as struct mpudp_path
 * @ifindex: as struct mpudp_path
 * @weight: as struct mpudp_path
 * @flags: as struct mpudp_path
 * @rate_cap: as struct mpudp_path
 */
struct mpudp_path_cfg {
	struct mpudp_tuple tuple;
	int ifindex;
	u32 weight;
	u32 flags;
	u64 rate_cap;
};

/*
 * The smoothed transit time of a path, us modulo 2^32: compare two paths'
 * with (s32)(a - b). Kept as a base and a small deviation so that the
 * arbitrary offset of the two clocks cannot overflow the scaled average.
 */
static inline u32 mpudp_path_transit(const struct mpudp_path_rx *rx)
{
	return rx->transit_base + (rx->transit_dev >> 3);
}

/*
 * Passes a report of the peer to the scheduler of @p's tunnel: the path
 * sequence number the peer expects next, @next_path_seq, and the queueing
 * delay it saw, @queue (us). The newest replaces one not taken yet.
 */
static inline void mpudp_sched_report(struct mpudp_path *p, u16 next_path_seq,
				      u32 queue)
{
	atomic64_set(&p->sched_report,
		     BIT_ULL(48) | (u64)next_path_seq << 32 | queue);
}

struct mpudp_path *mpudp_path_create(struct mpudp_tunnel *t,
				     const struct mpudp_path_cfg *cfg,
				     struct netlink_ext_ack *extack);
void mpudp_path_remove(struct mpudp_path *p);
struct mpudp_path *mpudp_path_find(struct mpudp_tunnel *t, u32 id);
void mpudp_path_set(struct mpudp_path *p, u32 weight, u32 flags,
		    u64 rate_cap);
bool mpudp_path_usable(const struct mpudp_path *p);
struct mpudp_path *mpudp_path_lookup_rx(struct mpudp_net *mn,
					struct mpudp_tuple *key);
/* The per-CPU counters of a path, summed. */
struct mpudp_path_counters {
	u64 tx_packets;
	u64 tx_bytes;
	u64 rx_packets;
	u64 rx_bytes;
};

void mpudp_path_read_pcpu(const struct mpudp_path *p,
			  struct mpudp_path_counters *sum);

int mpudp_path_table_init(struct mpudp_net *mn);
void mpudp_path_table_destroy(struct mpudp_net *mn);

#endif /* _MPUDP_PATH_H */
