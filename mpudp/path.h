/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MPUDP_PATH_H
#define _MPUDP_PATH_H

#include <linux/u64_stats_sync.h>
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
 * @sched_credit: scheduler state; under the tunnel's sched_lock
 * @tx_path_seq: the next path sequence number to send; sched_lock
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
	s32 sched_credit;
	u16 tx_path_seq;
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
	struct rcu_work free_work;
};

/**
 * struct mpudp_path_cfg - what a new path is made of
 * @tuple: as struct mpudp_path
 * @ifindex: as struct mpudp_path
 * @weight: as struct mpudp_path
 * @flags: as struct mpudp_path
 */
struct mpudp_path_cfg {
	struct mpudp_tuple tuple;
	int ifindex;
	u32 weight;
	u32 flags;
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

struct mpudp_path *mpudp_path_create(struct mpudp_tunnel *t,
				     const struct mpudp_path_cfg *cfg,
				     struct netlink_ext_ack *extack);
void mpudp_path_remove(struct mpudp_path *p);
struct mpudp_path *mpudp_path_find(struct mpudp_tunnel *t, u32 id);
void mpudp_path_set(struct mpudp_path *p, u32 weight, u32 flags);
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
