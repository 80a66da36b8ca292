/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Trace events: what the scheduler chose for each datagram, with what it
 * knew of the path then, and what the peer's reports said of each path.
 * For example:
 *
 *	echo 1 > /sys/kernel/tracing/events/mpudp/enable
 *	cat /sys/kernel/tracing/trace_pipe
 *
 * or `perf record -e 'mpudp:*'`. A tunnel is named by its network namespace's
 * inode number (as in /proc/PID/ns/net) and its id there. Times are in
 * microseconds, rates in bit/s.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM mpudp

#if !defined(_MPUDP_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _MPUDP_TRACE_H

#include <linux/tracepoint.h>

#include "netns.h"
#include "path.h"
#include "tunnel.h"

/*
 * The scheduler gave @p a datagram: the VPN's (@parity false; with the
 * redundant scheduler, one such event per copy), numbered @seq, or parity
 * (@parity true; @seq is the first of its group), @len bytes of payload,
 * as the path's sequence number @path_seq. ahead: how long the path's
 * virtual queue says it needs to send what it was given, this datagram
 * included (edpf and minrtt; 0 for the others, or what edpf or minrtt
 * left there for up to a second after the scheduler was changed); rate,
 * queue, standing and delay: the path monitor's delivery rate, queueing
 * delay (the last report's), standing queue (the lowest reported over the
 * last smoothed RTT + 20 ms) and one-way delay above the fastest path, as
 * the scheduler saw them; boost: the rate edpf tries above the monitor's
 * while the path drains all it is given (sched_edpf.c; 0: none; after a
 * change of scheduler, what edpf left).
 */
TRACE_EVENT(mpudp_send,
	TP_PROTO(const struct mpudp_tunnel *t, const struct mpudp_path *p,
		 bool parity, u32 seq, u16 path_seq, unsigned int len, u64 now),
	TP_ARGS(t, p, parity, seq, path_seq, len, now),
	TP_STRUCT__entry(
		__field(u32, netns)
		__field(u32, tunnel)
		__field(u8, path)
		__field(bool, parity)
		__field(u16, path_seq)
		__field(u32, seq)
		__field(u32, len)
		__field(u32, ahead)
		__field(u64, rate)
		__field(u32, queue)
		__field(u32, standing)
		__field(u32, delay)
		__field(u64, boost)
	),
	TP_fast_assign(
		u64 free = p->sched_free;

		__entry->netns = t->mn->net->ns.inum;
		__entry->tunnel = t->id;
		__entry->path = p->id;
		__entry->parity = parity;
		__entry->path_seq = path_seq;
		__entry->seq = seq;
		__entry->len = len;
		__entry->ahead = free > now ?
			min_t(u64, div_u64(free - now, NSEC_PER_USEC), U32_MAX) : 0;
		__entry->rate = READ_ONCE(p->mon.rate);
		__entry->queue = READ_ONCE(p->mon.queue);
		__entry->standing = READ_ONCE(p->mon.queue_min);
		__entry->delay = READ_ONCE(p->mon.delay);
		__entry->boost = p->sched_rate;
	),
	TP_printk("netns=%u tunnel=%u path=%u %s seq=%u path_seq=%u len=%u ahead=%u rate=%llu queue=%u standing=%u delay=%u boost=%llu",
		  __entry->netns, __entry->tunnel, __entry->path,
		  __entry->parity ? "parity" : "data", __entry->seq,
		  __entry->path_seq, __entry->len, __entry->ahead,
		  __entry->rate, __entry->queue, __entry->standing,
		  __entry->delay, __entry->boost)
);

/*
 * The peer reported on @p (a report older than one already taken is
 * ignored, without an event); the estimates after it: next path sequence
 * number the peer expects, its silence on the path, queueing delay,
 * standing queue, loss (ppm) and delivery rate.
 */
TRACE_EVENT(mpudp_report,
	TP_PROTO(const struct mpudp_tunnel *t, const struct mpudp_path *p,
		 u16 next_path_seq),
	TP_ARGS(t, p, next_path_seq),
	TP_STRUCT__entry(
		__field(u32, netns)
		__field(u32, tunnel)
		__field(u8, path)
		__field(u16, next_path_seq)
		__field(u32, silence)
		__field(u32, queue)
		__field(u32, standing)
		__field(u32, loss)
		__field(u64, rate)
	),
	TP_fast_assign(
		__entry->netns = t->mn->net->ns.inum;
		__entry->tunnel = t->id;
		__entry->path = p->id;
		__entry->next_path_seq = next_path_seq;
		__entry->silence = p->mon.silence;
		__entry->queue = p->mon.queue;
		__entry->standing = p->mon.queue_min;
		__entry->loss = p->mon.loss;
		__entry->rate = p->mon.rate;
	),
	TP_printk("netns=%u tunnel=%u path=%u next_path_seq=%u silence=%u queue=%u standing=%u loss=%u rate=%llu",
		  __entry->netns, __entry->tunnel, __entry->path, __entry->next_path_seq,
		  __entry->silence, __entry->queue, __entry->standing, __entry->loss,
		  __entry->rate)
);

#endif /* _MPUDP_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
