// SPDX-License-Identifier: GPL-2.0
/*
 * MPUDP: spreads the UDP tunnel of an unmodified VPN over several paths.
 *
 * Module init and exit. Built with DEBUG, the module runs its self-tests
 * first and refuses to load if one fails.
 */

#include <linux/module.h>
#include <net/genetlink.h>
#include <uapi/linux/mpudp.h>

#include "fec.h"
#include "monitor.h"
#include "netlink.h"
#include "netns.h"
#include "reseq.h"
#include "sched.h"
#include "tunnel.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

#define MPUDP_MODULE_VERSION "0.1.0"

static int __init mpudp_selftests(void)
{
#ifdef DEBUG
	if (!mpudp_sched_selftest() || !mpudp_sched_edpf_selftest() ||
	    !mpudp_reseq_selftest() || !mpudp_fec_selftest() ||
	    !mpudp_monitor_selftest())
		return -ENOTRECOVERABLE;
#endif
	return 0;
}

static int __init mpudp_init(void)
{
	int err;

	err = mpudp_sched_rr_init();
	if (err)
		return err;
	err = mpudp_sched_edpf_init();
	if (err)
		goto err_rr;
	err = mpudp_selftests();
	if (err)
		goto err_sched;
	err = mpudp_tunnel_wq_init();
	if (err)
		goto err_sched;
	err = mpudp_netns_init();
	if (err)
		goto err_wq;
	err = mpudp_genl_init();
	if (err)
		goto err_netns;

	pr_info("MPUDP " MPUDP_MODULE_VERSION " loaded\n");
	return 0;

err_netns:
	mpudp_netns_uninit();
err_wq:
	mpudp_tunnel_wq_uninit();
err_sched:
	mpudp_sched_edpf_uninit();
err_rr:
	mpudp_sched_rr_uninit();
	return err;
}

static void __exit mpudp_exit(void)
{
	mpudp_genl_uninit();
	/* Removes the tunnels of every namespace that is still alive. */
	mpudp_netns_uninit();
	/* Waits until the removed tunnels and paths are freed. */
	mpudp_tunnel_wq_uninit();
	mpudp_sched_edpf_uninit();
	mpudp_sched_rr_uninit();
	WARN(mpudp_objects_leaked(), "mpudp: tunnels or paths leaked\n");
}

module_init(mpudp_init);
module_exit(mpudp_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Multipath transport for the UDP tunnel of an unmodified VPN");
MODULE_AUTHOR("The MPUDP developers");
MODULE_VERSION(MPUDP_MODULE_VERSION);
MODULE_ALIAS_GENL_FAMILY(MPUDP_GENL_NAME);
