// SPDX-License-Identifier: GPL-2.0
/*
 * mpudpctl sched show: the registered schedulers.
 */
#include <linux/genetlink.h>
#include <linux/mpudp.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "nl.h"
#include "print.h"

void sched_usage(void)
{
	printf("Usage: mpudpctl sched show\n"
	       "Lists the schedulers a tunnel can use (mpudpctl tunnel set ID sched NAME).\n");
}

static int print_sched_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *top[MPUDP_A_MAX + 1], *tb[MPUDP_A_SCHED_MAX + 1];

	(void)data;
	nl_parse_msg(nlh, top);
	if (!top[MPUDP_A_SCHED])
		return MNL_CB_OK;
	nl_parse_nest(top[MPUDP_A_SCHED], tb);
	if (!tb[MPUDP_A_SCHED_NAME])
		return MNL_CB_OK;
	print_open_obj(NULL);
	print_string(PRINT_ANY, "name", "%s\n",
		     mnl_attr_get_str(tb[MPUDP_A_SCHED_NAME]));
	print_close_obj();
	return MNL_CB_OK;
}

int sched_main(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	if (argc > 0 && strcmp(argv[0], "show") && strcmp(argv[0], "list"))
		return arg_error("unknown command \"%s\", try \"mpudpctl sched help\"",
				 argv[0]);
	if (argc > 1)
		return unknown_arg("sched", argv[1]);
	nlh = nl_request(buf, MPUDP_CMD_SCHED_GET, NLM_F_DUMP);
	return request(nlh, print_sched_cb, true);
}
