// SPDX-License-Identifier: GPL-2.0
/*
 * The scheduler registry: an RCU list of struct mpudp_sched_ops, written under
 * a spinlock, read by name when a tunnel is configured.
 */

#include <linux/rculist.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "sched.h"

static DEFINE_SPINLOCK(mpudp_sched_lock);
static LIST_HEAD(mpudp_sched_list);

/* Must be called with RCU read lock or mpudp_sched_lock held. */
static struct mpudp_sched_ops *sched_find(const char *name)
{
	struct mpudp_sched_ops *ops;

	list_for_each_entry_rcu(ops, &mpudp_sched_list, list,
				lockdep_is_held(&mpudp_sched_lock))
		if (!strcmp(ops->name, name))
			return ops;
	return NULL;
}

int mpudp_sched_register(struct mpudp_sched_ops *ops)
{
	int err = 0;

	if ((!ops->select && !ops->select_all) || !ops->name[0])
		return -EINVAL;
	spin_lock(&mpudp_sched_lock);
	if (sched_find(ops->name))
		err = -EEXIST;
	else
		list_add_tail_rcu(&ops->list, &mpudp_sched_list);
	spin_unlock(&mpudp_sched_lock);
	if (!err)
		pr_debug("scheduler %s registered\n", ops->name);
	return err;
}
EXPORT_SYMBOL_GPL(mpudp_sched_register);

/*
 * A tunnel using @ops holds a reference on its module, so only a scheduler
 * that no tunnel uses can be unregistered (at module unload).
 */
void mpudp_sched_unregister(struct mpudp_sched_ops *ops)
{
	spin_lock(&mpudp_sched_lock);
	list_del_rcu(&ops->list);
	spin_unlock(&mpudp_sched_lock);
	synchronize_rcu();
}
EXPORT_SYMBOL_GPL(mpudp_sched_unregister);

/* Registers the @n schedulers of @ops, all or none. */
int mpudp_sched_register_all(struct mpudp_sched_ops *const *ops, int n)
{
	int err, i;

	for (i = 0; i < n; i++) {
		err = mpudp_sched_register(ops[i]);
		if (err)
			goto err;
	}
	return 0;
err:
	while (--i >= 0)
		mpudp_sched_unregister(ops[i]);
	return err;
}

void mpudp_sched_unregister_all(struct mpudp_sched_ops *const *ops, int n)
{
	while (--n >= 0)
		mpudp_sched_unregister(ops[n]);
}

/* Returns the scheduler called @name with a reference held, or NULL. */
const struct mpudp_sched_ops *mpudp_sched_find_get(const char *name)
{
	const struct mpudp_sched_ops *ops;

	rcu_read_lock();
	ops = sched_find(name);
	if (ops && !try_module_get(ops->owner))
		ops = NULL;
	rcu_read_unlock();
	return ops;
}

/* The @n-th registered scheduler, for dumps. Must be called under RCU. */
const struct mpudp_sched_ops *mpudp_sched_nth(unsigned int n)
{
	const struct mpudp_sched_ops *ops;

	list_for_each_entry_rcu(ops, &mpudp_sched_list, list)
		if (n-- == 0)
			return ops;
	return NULL;
}

/* Takes one more reference; the caller must already hold one. */
void mpudp_sched_get(const struct mpudp_sched_ops *ops)
{
	__module_get(ops->owner);
}

void mpudp_sched_put(const struct mpudp_sched_ops *ops)
{
	module_put(ops->owner);
}
