/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MPUDP_TUNNEL_H
#define _MPUDP_TUNNEL_H

#include <linux/hrtimer.h>
#include <linux/in6.h>
#include <linux/list.h>
#include <linux/rhashtable-types.h>
#include <linux/skbuff.h>
#include <linux/spinlock_types.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct mpudp_fec_rx;
struct mpudp_fec_tx;
struct mpudp_net;
struct mpudp_reseq;
struct mpudp_sched_ops;
struct netlink_ext_ack;

/* Default of the longest time a gap holds back the datagrams behind it. */
#define MPUDP_MAX_HOLD_DEFAULT_US	100000
#define MPUDP_MAX_HOLD_LIMIT_US		1000000
/* Slots of the resequencing buffer of a tunnel. */
#define MPUDP_RESEQ_SLOTS		512

union mpudp_ip {
	__be32 v4;
	struct in6_addr v6;
};

/**
 * struct mpudp_tuple - a UDP 4-tuple as this host sees it
 * @local: local address; all zero when a path leaves it to routing
 * @remote: remote address
 * @local_port: local UDP port
 * @remote_port: remote UDP port
 * @family: AF_INET or AF_INET6
 * @zero: always 0, so that the struct has no hole (it is a hash key)
 */
struct mpudp_tuple {
	union mpudp_ip local;
	union mpudp_ip remote;
	__be16 local_port;
	__be16 remote_port;
	u16 family;
	u16 zero;
};

/**
 * struct mpudp_tunnel - the VPN's primary 4-tuple and its paths
 * @node: in mpudp_net.tunnels, keyed by @tuple
 * @tuple: the primary 4-tuple; immutable
 * @id: the id in mpudp_net.tunnel_ids; immutable
 * @mn: the namespace's state
 * @sched: the scheduler; written under mn->lock, read under RCU
 * @paths: the paths, in id order; an RCU list written under mn->lock
 * @n_paths: number of @paths; mn->lock
 * @path_ids: bitmap of the path ids in use (bit 0 is id 1); mn->lock
 * @tag: hash of @tuple, the same on both ends (struct mpudp_hdr); immutable
 * @max_hold_us: the longest a gap holds back the datagrams behind it;
 *	written under mn->lock, read with READ_ONCE()
 * @fec_cfg: forward error correction as configured: 0 (off), a group size,
 *	or MPUDP_FEC_AUTO; written under mn->lock and @sched_lock, read
 *	under either or with READ_ONCE()
 * @fec_k: the group size of forward error correction in use (fec.c); 0:
 *	none; written under @sched_lock, read under it or with READ_ONCE()
 * @sched_lock: serialises the scheduler and the sequence numbers of sending
 * @tx_seq: the next tunnel sequence number to send; @sched_lock
 * @tx_plain: datagrams sent without MPUDP (no path); atomic
 * @fec_tx: the group being filled; @sched_lock
 * @tx_fec: parity datagrams sent; atomic
 * @rx_lock: serialises receiving: @reseq, @rx_ready, @rx_delivering, @dead
 *	and the rx state of the paths
 * @reseq: the resequencing buffer
 * @rx_timer: gives up a gap when its hold time is over
 * @rx_ready: datagrams released, in order, waiting to be delivered
 * @rx_delivering: a CPU is delivering @rx_ready; others only append
 * @rx_plain: plain (non-MPUDP) datagrams received on the primary 4-tuple
 * @rx_hold_ns: the hold time last computed; for the counters
 * @rx_grace_ns: how long a datagram its path showed lost may still come
 *	(reordered on the path); computed with @rx_hold_ns, at most that
 * @rx_first: when the first MPUDP datagram arrived (ns), 0 before
 * @rx_extent_ns: how late a datagram came, at most, after a later one of its
 *	path or after its gap was given up; decays
 * @rx_extent_at: when @rx_extent_ns last grew or decayed
 * @rx_gave_up_at: when the timer last gave up a gap
 * @dead: removed; held datagrams are dropped, none is delivered any more
 * @fec_rx: the groups being collected; allocated at the first parity
 *	(mpudp_fec_rx_free())
 * @rx_fec: parity datagrams received
 * @rx_fec_recovered: datagrams rebuilt from parity
 * @probe_timer: sends the path probes (monitor.c); started and rearmed
 *	under @rx_lock
 * @state: enum mpudp_tunnel_state; @rx_lock
 * @peer_at: when the last MPUDP datagram came from the peer (ns); @rx_lock
 * @peer_interval_ns: the peer's probe interval; when the peer shortens it,
 *	the old one stays in force until @peer_interval_until (ns; 0: no
 *	change pending); @rx_lock
 * @peer_interval_until: see above
 * @busy_at: when the last data datagram went or came (ns); WRITE_ONCE()
 * @probe_interval_ns: the probe interval now; @rx_lock
 * @thresh_interval_ns: the probe interval timeouts are based on: a longer
 *	one stays in force until @thresh_until (ns); @rx_lock
 * @thresh_until: see above
 * @quiet_at: the last time every path was silent (ns); @rx_lock
 * @probe_primary: probe the primary 4-tuple next time even if the peer is
 *	silent (monitor.c); @rx_lock
 * @free_work: frees the tunnel after a grace period, in process context
 */
struct mpudp_tunnel {
	struct rhash_head node;
	struct mpudp_tuple tuple;
	u32 id;
	struct mpudp_net *mn;
	const struct mpudp_sched_ops __rcu *sched;
	struct list_head paths;
	unsigned int n_paths;
	unsigned long path_ids;
	__be16 tag;
	u32 max_hold_us;
	u8 fec_cfg;
	u8 fec_k;

	spinlock_t sched_lock; /* see above */
	u32 tx_seq;
	atomic64_t tx_plain;
	struct mpudp_fec_tx *fec_tx;
	atomic64_t tx_fec;

	spinlock_t rx_lock; /* see above */
	struct mpudp_reseq *reseq;
	struct hrtimer rx_timer;
	struct sk_buff_head rx_ready;
	bool rx_delivering;
	atomic64_t rx_plain;
	u64 rx_hold_ns;
	u64 rx_grace_ns;
	u64 rx_first;
	u64 rx_extent_ns;
	u64 rx_extent_at;
	u64 rx_gave_up_at;
	bool dead;
	struct mpudp_fec_rx *fec_rx;
	u64 rx_fec;
	u64 rx_fec_recovered;

	struct hrtimer probe_timer;
	u8 state;
	u64 peer_at;
	u64 peer_interval_ns;
	u64 peer_interval_until;
	u64 busy_at;
	u64 probe_interval_ns;
	u64 thresh_interval_ns;
	u64 thresh_until;
	u64 quiet_at;
	bool probe_primary;

	struct rcu_work free_work;
};

/**
 * struct mpudp_tunnel_cfg - what a new tunnel is made of
 * @tuple: as struct mpudp_tunnel
 * @sched: as struct mpudp_tunnel
 * @max_hold_us: as struct mpudp_tunnel
 * @fec: as struct mpudp_tunnel's @fec_cfg
 */
struct mpudp_tunnel_cfg {
	struct mpudp_tuple tuple;
	const struct mpudp_sched_ops *sched;
	u32 max_hold_us;
	u8 fec;
};

struct mpudp_tunnel *mpudp_tunnel_create(struct mpudp_net *mn,
					 const struct mpudp_tunnel_cfg *cfg,
					 struct netlink_ext_ack *extack);
void mpudp_tunnel_remove(struct mpudp_tunnel *t);
void mpudp_tunnel_remove_all(struct mpudp_net *mn);
struct mpudp_tunnel *mpudp_tunnel_find(struct mpudp_net *mn, u32 id);
struct mpudp_tunnel *mpudp_tunnel_lookup(struct mpudp_net *mn,
					 const struct mpudp_tuple *tuple);
void mpudp_tunnel_set_sched(struct mpudp_tunnel *t,
			    const struct mpudp_sched_ops *sched);
const struct mpudp_sched_ops *mpudp_tunnel_sched(struct mpudp_tunnel *t);

int mpudp_tunnel_table_init(struct mpudp_net *mn);
void mpudp_tunnel_table_destroy(struct mpudp_net *mn);

void mpudp_tunnel_set_max_hold(struct mpudp_tunnel *t, u32 max_hold_us);
void mpudp_tunnel_set_fec(struct mpudp_tunnel *t, u8 fec);

int mpudp_tunnel_wq_init(void);
void mpudp_tunnel_wq_uninit(void);
struct workqueue_struct *mpudp_wq(void);

bool mpudp_objects_leaked(void);
void mpudp_objects_inc(void);
void mpudp_objects_dec(void);

#endif /* _MPUDP_TUNNEL_H */
