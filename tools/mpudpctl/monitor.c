// SPDX-License-Identifier: GPL-2.0
/*
 * mpudpctl monitor: prints the state changes of tunnels and paths
 * (MPUDP_CMD_STATE notifications) as they happen, like "ip monitor".
 */
#include <linux/genetlink.h>
#include <linux/mpudp.h>
#include <stdio.h>

#include "cmd.h"
#include "nl.h"
#include "print.h"

void monitor_usage(void)
{
	printf("Usage: mpudpctl monitor\n"
	       "Prints every state change of a tunnel or path, one per line,\n"
	       "until interrupted: \"tunnel ID [path ID] state STATE\".\n"
	       "Tunnel states: probing, active, fallback.\n"
	       "Path states: probing, active, suspect, failed.\n");
}

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *top[MPUDP_A_MAX + 1], *tb[MPUDP_A_PATH_MAX + 1];
	const struct nlattr *ttb[MPUDP_A_TUNNEL_MAX + 1];
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);

	(void)data;
	if (genl->cmd != MPUDP_CMD_STATE)
		return MNL_CB_OK;
	nl_parse_msg(nlh, top);
	if (top[MPUDP_A_PATH]) {
		nl_parse_nest(top[MPUDP_A_PATH], tb);
		if (!tb[MPUDP_A_PATH_TUNNEL_ID] || !tb[MPUDP_A_PATH_ID] ||
		    !tb[MPUDP_A_PATH_STATE])
			return MNL_CB_OK;
		print_open_obj(NULL);
		print_uint(PRINT_ANY, "tunnel", "tunnel %llu",
			   mnl_attr_get_u32(tb[MPUDP_A_PATH_TUNNEL_ID]));
		print_uint(PRINT_ANY, "path", " path %llu",
			   mnl_attr_get_u32(tb[MPUDP_A_PATH_ID]));
		print_string(PRINT_ANY, "state", " state %s",
			     path_state_name(mnl_attr_get_u32(tb[MPUDP_A_PATH_STATE])));
	} else if (top[MPUDP_A_TUNNEL]) {
		/* Its own table: the tunnel attributes outnumber the path's. */
		nl_parse_nest(top[MPUDP_A_TUNNEL], ttb);
		if (!ttb[MPUDP_A_TUNNEL_ID] || !ttb[MPUDP_A_TUNNEL_STATE])
			return MNL_CB_OK;
		print_open_obj(NULL);
		print_uint(PRINT_ANY, "tunnel", "tunnel %llu",
			   mnl_attr_get_u32(ttb[MPUDP_A_TUNNEL_ID]));
		print_string(PRINT_ANY, "state", " state %s",
			     tunnel_state_name(mnl_attr_get_u32(ttb[MPUDP_A_TUNNEL_STATE])));
	} else {
		return MNL_CB_OK;
	}
	print_text("\n");
	print_close_obj();
	print_flush();
	return MNL_CB_OK;
}

int monitor_main(int argc, char **argv)
{
	if (argc > 0)
		return unknown_arg("monitor", argv[0]);
	return nl_listen_monitor(event_cb, NULL) < 0 ? EXIT_KERNEL : 0;
}
