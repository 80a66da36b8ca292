// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state. Every tunnel belongs to one namespace; when the
 * namespace goes away, so do its tunnels.
 */

#include <net/netns/generic.h>

#include "hooks.h"
#include "netns.h"
#include "path.h"
#include "tunnel.h"

static unsigned int mpudp_net_id __read_mostly;

struct mpudp_net *mpudp_net(const struct net *net)
{
	return net_generic(net, mpudp_net_id);
}

/* Called after any change of the configuration of @mn, under its lock. */
void mpudp_net_changed(struct mpudp_net *mn)
{
	lockdep_assert_held(&mn->lock);
	/* Dumps compare this with the value they started at; never 0. */
	if (++mn->gen == 0)
		mn->gen = 1;
}

static int __net_init mpudp_net_init(struct net *net)
{
	struct mpudp_net *mn = mpudp_net(net);
	int err;

	mn->net = net;
	mutex_init(&mn->lock);
	idr_init(&mn->tunnel_ids);
	mn->gen = 1;
	err = mpudp_tunnel_table_init(mn);
	if (err)
		goto err_idr;
	err = mpudp_path_table_init(mn);
	if (err)
		goto err_tunnels;
	return 0;

err_tunnels:
	mpudp_tunnel_table_destroy(mn);
err_idr:
	idr_destroy(&mn->tunnel_ids);
	return err;
}

static void __net_exit mpudp_net_exit(struct net *net)
{
	struct mpudp_net *mn = mpudp_net(net);

	mutex_lock(&mn->lock);
	mpudp_tunnel_remove_all(mn);
	/* Removing the last tunnel unregistered the hooks. */
	WARN_ON_ONCE(mn->hooks);
	mutex_unlock(&mn->lock);
	mpudp_path_table_destroy(mn);
	mpudp_tunnel_table_destroy(mn);
	idr_destroy(&mn->tunnel_ids);
}

static struct pernet_operations mpudp_net_ops = {
	.init = mpudp_net_init,
	.exit = mpudp_net_exit,
	.id   = &mpudp_net_id,
	.size = sizeof(struct mpudp_net),
};

int mpudp_netns_init(void)
{
	return register_pernet_subsys(&mpudp_net_ops);
}

void mpudp_netns_uninit(void)
{
	unregister_pernet_subsys(&mpudp_net_ops);
}
