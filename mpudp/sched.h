/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MPUDP_SCHED_H
#define _MPUDP_SCHED_H

#include <linux/list.h>
#include <linux/module.h>
#include <uapi/linux/mpudp.h>

struct mpudp_path;
struct mpudp_tunnel;

/**
 * struct mpudp_sched_ops - a scheduler: chooses the path of every packet
 * @list: in the list of registered schedulers
 * @name: selects it per tunnel (MPUDP_A_TUNNEL_SCHED)
 * @owner: the module that holds the code; NULL when built into mpudp.ko
 * @select: returns the path for the next datagram of the tunnel (@len bytes
 *	of UDP payload, sent at @now, ktime_get_ns()), or NULL if none can
 *	take it. Called under RCU read lock with the tunnel's sched_lock held;
 *	may use the paths' sched_* fields. Paths of mpudp_tunnel_tier() only
 *	may be chosen.
 * @select_all: instead of @select, for a scheduler that sends a datagram on
 *	several paths: fills @paths and returns how many (0: none)
 *
 * Schedulers are pluggable like TCP congestion control: a module registers its
 * ops and tunnels pick them by name. A tunnel holds a reference on @owner.
 */
struct mpudp_sched_ops {
	struct list_head list;
	char name[MPUDP_SCHED_NAME_MAX];
	struct module *owner;
	struct mpudp_path *(*select)(struct mpudp_tunnel *t, unsigned int len,
				     u64 now);
	unsigned int (*select_all)(struct mpudp_tunnel *t,
				   struct mpudp_path **paths);
};

int mpudp_sched_register(struct mpudp_sched_ops *ops);
void mpudp_sched_unregister(struct mpudp_sched_ops *ops);
int mpudp_sched_register_all(struct mpudp_sched_ops *const *ops, int n);
void mpudp_sched_unregister_all(struct mpudp_sched_ops *const *ops, int n);
const struct mpudp_sched_ops *mpudp_sched_find_get(const char *name);
const struct mpudp_sched_ops *mpudp_sched_nth(unsigned int n);
void mpudp_sched_get(const struct mpudp_sched_ops *ops);
void mpudp_sched_put(const struct mpudp_sched_ops *ops);

/* The scheduler of a tunnel created without one. */
#define MPUDP_SCHED_DEFAULT	"edpf"

int mpudp_sched_rr_init(void);
void mpudp_sched_rr_uninit(void);
int mpudp_sched_edpf_init(void);
void mpudp_sched_edpf_uninit(void);

#ifdef DEBUG
bool mpudp_sched_selftest(void);
bool mpudp_sched_edpf_selftest(void);
#endif

#endif /* _MPUDP_SCHED_H */
