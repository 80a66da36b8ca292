/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MPUDP_MONITOR_H
#define _MPUDP_MONITOR_H

#include <linux/hrtimer.h>
#include <linux/types.h>

struct mpudp_hdr;
struct mpudp_path;
struct mpudp_probe;
struct mpudp_tunnel;

void mpudp_mon_init(struct mpudp_tunnel *t);
void mpudp_mon_stop(struct mpudp_tunnel *t);
void mpudp_mon_path_init(struct mpudp_path *p);
void mpudp_mon_kick(struct mpudp_tunnel *t);
void mpudp_mon_busy(struct mpudp_tunnel *t, u64 now);
void mpudp_mon_heard(struct mpudp_tunnel *t, struct mpudp_path *p,
		     const struct mpudp_hdr *h, u64 now);
void mpudp_mon_probe(struct mpudp_tunnel *t, const struct mpudp_hdr *h,
		     const struct mpudp_probe *probe, u64 now);
u32 mpudp_mon_silence_us(const struct mpudp_path *p, u64 now);
int mpudp_path_tier(const struct mpudp_path *p);
int mpudp_tunnel_tier(struct mpudp_tunnel *t);
bool mpudp_monitor_selftest(void);

/* Tiers of paths (mpudp_path_tier()): a scheduler uses the lowest there is. */
#define MPUDP_TIER_NONE		4

/*
 * A path whose standing queue is at or above this (us) is saturated: its
 * delivery rate is its capacity. Below, it could carry more.
 */
#define MPUDP_QUEUE_BUSY_US	5000

#endif /* _MPUDP_MONITOR_H */
