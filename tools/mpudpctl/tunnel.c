// SPDX-License-Identifier: GPL-2.0
/*
 * mpudpctl tunnel { add | del | set | show }
 */
#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <linux/mpudp.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "nl.h"
#include "print.h"

void tunnel_usage(void)
{
	printf("Usage: mpudpctl tunnel add local ENDPOINT remote ENDPOINT [ sched NAME ]\n"
	       "                              [ max-hold TIME ] [ fec FEC ]\n"
	       "       mpudpctl tunnel del ID\n"
	       "       mpudpctl tunnel set ID [ sched NAME ] [ max-hold TIME ] [ fec FEC ]\n"
	       "       mpudpctl [ -s ] tunnel show [ ID ]\n"
	       "ENDPOINT := { IPV4:PORT | [IPV6]:PORT }\n"
	       "TIME := NUMBER[us|ms|s] (ms without a unit), at most 1s\n"
	       "FEC := { off | auto | 0..%d } (0: off)\n"
	       "The endpoints are the VPN's primary 4-tuple as this host sees it.\n"
	       "max-hold is the longest a missing datagram holds back the ones\n"
	       "behind it (default 100ms; 0 delivers them at once).\n"
	       "fec N sends a parity datagram after every N datagrams, from which\n"
	       "the peer rebuilds one of them that was lost (default off); auto\n"
	       "picks N from the loss the peer reports, none without loss.\n",
	       MPUDP_FEC_MAX);
}

const char *tunnel_state_name(uint32_t state)
{
	static const char *const names[] = {
		[MPUDP_TUNNEL_STATE_PROBING] = "probing",
		[MPUDP_TUNNEL_STATE_ACTIVE] = "active",
		[MPUDP_TUNNEL_STATE_FALLBACK] = "fallback",
	};

	return state < sizeof(names) / sizeof(names[0]) ? names[state] : "unknown";
}

/* Prints the address and port of one end; the text is "KEY ADDR:PORT". */
void print_endpoint(const char *key, const struct nlattr *a4,
		    const struct nlattr *a6, const struct nlattr *port)
{
	char addr[INET6_ADDRSTRLEN], text[INET6_ADDRSTRLEN + 16], fmt[64];
	int family = a4 ? AF_INET : AF_INET6;
	const void *ip = a4 ? mnl_attr_get_payload(a4) : mnl_attr_get_payload(a6);
	uint16_t p = port ? ntohs(mnl_attr_get_u16(port)) : 0;
	char port_key[32];

	if (!a4 && !a6)
		return;
	if ((a4 && mnl_attr_get_payload_len(a4) != 4) ||
	    (a6 && mnl_attr_get_payload_len(a6) != 16))
		return;
	inet_ntop(family, ip, addr, sizeof(addr));
	print_string(PRINT_JSON, key, NULL, addr);
	if (p) {
		snprintf(port_key, sizeof(port_key), "%s_port", key);
		print_uint(PRINT_JSON, port_key, NULL, p);
	}
	snprintf(fmt, sizeof(fmt), " %s %%s", key);
	print_string(PRINT_TEXT, NULL, fmt,
		     format_endpoint(family, ip, p, text, sizeof(text)));
}

static const struct {
	int attr;
	const char *key, *label;
} tunnel_stats[] = {
	{ MPUDP_A_TUNNEL_STATS_RX_IN_ORDER, "rx_in_order", "in-order" },
	{ MPUDP_A_TUNNEL_STATS_RX_REORDERED, "rx_reordered", "reordered" },
	{ MPUDP_A_TUNNEL_STATS_RX_LATE, "rx_late", "late" },
	{ MPUDP_A_TUNNEL_STATS_RX_DUPLICATES, "rx_duplicates", "duplicates" },
	{ MPUDP_A_TUNNEL_STATS_RX_TOO_OLD, "rx_too_old", "too-old" },
	{ MPUDP_A_TUNNEL_STATS_RX_HELD, "rx_held", "held" },
	{ MPUDP_A_TUNNEL_STATS_RX_PLAIN, "rx_plain", "plain" },
	{ MPUDP_A_TUNNEL_STATS_RX_GAPS_TIMEOUT, "rx_gaps_timeout", "gaps: timeout" },
	{ MPUDP_A_TUNNEL_STATS_RX_GAPS_PROVEN, "rx_gaps_proven", "proven" },
	{ MPUDP_A_TUNNEL_STATS_RX_GAPS_LOST, "rx_gaps_lost", "lost" },
	{ MPUDP_A_TUNNEL_STATS_RX_GAPS_OVERFLOW, "rx_gaps_overflow", "overflow" },
	{ MPUDP_A_TUNNEL_STATS_RX_RESYNCS, "rx_resyncs", "resyncs" },
	{ MPUDP_A_TUNNEL_STATS_TX_PLAIN, "tx_plain", "tx plain" },
	{ MPUDP_A_TUNNEL_STATS_TX_FEC, "tx_fec", "fec: sent" },
	{ MPUDP_A_TUNNEL_STATS_RX_FEC, "rx_fec", "received" },
	{ MPUDP_A_TUNNEL_STATS_RX_FEC_RECOVERED, "rx_fec_recovered", "rebuilt" },
};

/* Prints a u32 or u64 counter attribute. */
void print_counter(const struct nlattr *a, const char *key, const char *label)
{
	uint64_t v;
	char fmt[64];

	if (!a)
		return;
	v = mnl_attr_get_payload_len(a) == 4 ? mnl_attr_get_u32(a) : mnl_attr_get_u64(a);
	snprintf(fmt, sizeof(fmt), " %s %%llu", label);
	print_uint(show_stats ? PRINT_ANY : PRINT_JSON, key, fmt, v);
}

static void print_tunnel_stats(const struct nlattr *nest)
{
	const struct nlattr *tb[MPUDP_A_TUNNEL_STATS_MAX + 1];
	unsigned int i;

	nl_parse_nest(nest, tb);
	print_open_obj("stats");
	if (show_stats)
		print_text("    rx:");
	for (i = 0; i < sizeof(tunnel_stats) / sizeof(tunnel_stats[0]); i++) {
		if (show_stats && (tunnel_stats[i].attr == MPUDP_A_TUNNEL_STATS_RX_GAPS_TIMEOUT ||
				   tunnel_stats[i].attr == MPUDP_A_TUNNEL_STATS_TX_FEC))
			print_text("\n   ");
		print_counter(tb[tunnel_stats[i].attr], tunnel_stats[i].key,
			      tunnel_stats[i].label);
	}
	if (tb[MPUDP_A_TUNNEL_STATS_HOLD]) {
		if (show_stats)
			print_duration("hold", "hold_us",
				       mnl_attr_get_u32(tb[MPUDP_A_TUNNEL_STATS_HOLD]));
		else
			print_uint(PRINT_JSON, "hold_us", NULL,
				   mnl_attr_get_u32(tb[MPUDP_A_TUNNEL_STATS_HOLD]));
	}
	if (show_stats)
		print_text("\n");
	print_close_obj();
}

static int print_tunnel_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *top[MPUDP_A_MAX + 1], *tb[MPUDP_A_TUNNEL_MAX + 1];
	const struct nlattr *a;

	(void)data;
	nl_parse_msg(nlh, top);
	if (!top[MPUDP_A_TUNNEL])
		return MNL_CB_OK;
	nl_parse_nest(top[MPUDP_A_TUNNEL], tb);
	if (!tb[MPUDP_A_TUNNEL_ID])
		return MNL_CB_OK;

	print_open_obj(NULL);
	print_uint(PRINT_ANY, "id", "tunnel %llu",
		   mnl_attr_get_u32(tb[MPUDP_A_TUNNEL_ID]));
	print_endpoint("local", tb[MPUDP_A_TUNNEL_LOCAL_IPV4],
		       tb[MPUDP_A_TUNNEL_LOCAL_IPV6], tb[MPUDP_A_TUNNEL_LOCAL_PORT]);
	print_endpoint("remote", tb[MPUDP_A_TUNNEL_REMOTE_IPV4],
		       tb[MPUDP_A_TUNNEL_REMOTE_IPV6], tb[MPUDP_A_TUNNEL_REMOTE_PORT]);
	if (tb[MPUDP_A_TUNNEL_SCHED])
		print_string(PRINT_ANY, "sched", " sched %s",
			     mnl_attr_get_str(tb[MPUDP_A_TUNNEL_SCHED]));
	if (tb[MPUDP_A_TUNNEL_MAX_HOLD])
		print_duration("max-hold", "max_hold_us",
			       mnl_attr_get_u32(tb[MPUDP_A_TUNNEL_MAX_HOLD]));
	if (tb[MPUDP_A_TUNNEL_FEC]) {
		uint32_t k = mnl_attr_get_u32(tb[MPUDP_A_TUNNEL_FEC]);
		bool is_auto = k == MPUDP_FEC_AUTO;

		print_uint(!is_auto && k ? PRINT_ANY : PRINT_JSON, "fec", " fec %llu",
			   is_auto ? 0 : k);
		print_bool(PRINT_JSON, "fec_auto", NULL, is_auto);
		if (is_auto)
			print_text(" fec auto");
		if (tb[MPUDP_A_TUNNEL_FEC_NOW])
			print_uint(is_auto ? PRINT_ANY : PRINT_JSON, "fec_now",
				   " fec-now %llu",
				   mnl_attr_get_u32(tb[MPUDP_A_TUNNEL_FEC_NOW]));
	}
	if (tb[MPUDP_A_TUNNEL_TAG])
		print_uint(show_stats ? PRINT_ANY : PRINT_JSON, "tag", " tag 0x%04llx",
			   ntohs(mnl_attr_get_u16(tb[MPUDP_A_TUNNEL_TAG])));
	if (tb[MPUDP_A_TUNNEL_STATE])
		print_string(PRINT_ANY, "state", " state %s",
			     tunnel_state_name(mnl_attr_get_u32(tb[MPUDP_A_TUNNEL_STATE])));
	if (tb[MPUDP_A_TUNNEL_PROBE_INTERVAL]) {
		if (show_stats)
			print_duration("probe-interval", "probe_interval_us",
				       mnl_attr_get_u32(tb[MPUDP_A_TUNNEL_PROBE_INTERVAL]));
		else
			print_uint(PRINT_JSON, "probe_interval_us", NULL,
				   mnl_attr_get_u32(tb[MPUDP_A_TUNNEL_PROBE_INTERVAL]));
	}
	print_text("\n");
	if (tb[MPUDP_A_TUNNEL_STATS])
		print_tunnel_stats(tb[MPUDP_A_TUNNEL_STATS]);
	print_open_arr("paths");
	mnl_attr_for_each_nested(a, top[MPUDP_A_TUNNEL]) {
		if (mnl_attr_get_type(a) != MPUDP_A_TUNNEL_PATH)
			continue;
		print_text("    ");
		print_path(a, false);
	}
	print_close_arr();
	print_close_obj();
	return MNL_CB_OK;
}

/* Parses "ID" or "id ID" at argv[0]; returns the number of words used. */
static int parse_tunnel_id(int argc, char **argv, uint32_t *id)
{
	const char *why;
	int used = 1;

	if (argc > 0 && !strcmp(argv[0], "id")) {
		argc--;
		argv++;
		used = 2;
	}
	if (argc < 1)
		return -missing_value("id");
	why = parse_u32(argv[0], 1, UINT32_MAX, id);
	if (why)
		return -invalid_arg("tunnel id", argv[0], why);
	return used;
}

/* Parses FEC: "off" (or 0), "auto" or a group size. */
static const char *parse_fec(const char *arg, uint32_t *k)
{
	if (!strcmp(arg, "off") || !strcmp(arg, "auto")) {
		*k = arg[0] == 'a' ? MPUDP_FEC_AUTO : 0;
		return NULL;
	}
	return parse_u32(arg, 0, MPUDP_FEC_MAX, k);
}

static void put_endpoint(struct nlmsghdr *nlh, const struct endpoint *ep,
			 int a4, int a6, int aport)
{
	if (ep->family == AF_INET)
		mnl_attr_put(nlh, a4, sizeof(ep->addr.v4), &ep->addr.v4);
	else
		mnl_attr_put(nlh, a6, sizeof(ep->addr.v6), &ep->addr.v6);
	if (ep->port)
		mnl_attr_put_u16(nlh, aport, htons(ep->port));
}

static int tunnel_add(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct endpoint local = {}, remote = {};
	const char *sched = NULL, *why;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	uint32_t hold = 0, fec = 0;
	bool has_hold = false, has_fec = false;

	for (; argc > 0; argc--, argv++) {
		if (argc < 2 && (!strcmp(argv[0], "local") ||
				 !strcmp(argv[0], "remote") ||
				 !strcmp(argv[0], "sched") ||
				 !strcmp(argv[0], "max-hold") ||
				 !strcmp(argv[0], "fec")))
			return missing_value(argv[0]);
		if (!strcmp(argv[0], "local")) {
			why = parse_endpoint(argv[1], PORT_REQUIRED, &local);
			if (why)
				return invalid_arg("local endpoint", argv[1], why);
		} else if (!strcmp(argv[0], "remote")) {
			why = parse_endpoint(argv[1], PORT_REQUIRED, &remote);
			if (why)
				return invalid_arg("remote endpoint", argv[1], why);
		} else if (!strcmp(argv[0], "sched")) {
			sched = argv[1];
		} else if (!strcmp(argv[0], "max-hold")) {
			why = parse_time_us(argv[1], UINT32_MAX, &hold);
			if (why)
				return invalid_arg("max-hold", argv[1], why);
			has_hold = true;
		} else if (!strcmp(argv[0], "fec")) {
			why = parse_fec(argv[1], &fec);
			if (why)
				return invalid_arg("fec", argv[1], why);
			has_fec = true;
		} else {
			return unknown_arg("tunnel", argv[0]);
		}
		argc--;
		argv++;
	}

	nlh = nl_request(buf, MPUDP_CMD_TUNNEL_NEW, 0);
	nest = mnl_attr_nest_start(nlh, MPUDP_A_TUNNEL);
	if (local.family)
		put_endpoint(nlh, &local, MPUDP_A_TUNNEL_LOCAL_IPV4,
			     MPUDP_A_TUNNEL_LOCAL_IPV6, MPUDP_A_TUNNEL_LOCAL_PORT);
	if (remote.family)
		put_endpoint(nlh, &remote, MPUDP_A_TUNNEL_REMOTE_IPV4,
			     MPUDP_A_TUNNEL_REMOTE_IPV6, MPUDP_A_TUNNEL_REMOTE_PORT);
	if (sched && !mnl_attr_put_strz_check(nlh, sizeof(buf), MPUDP_A_TUNNEL_SCHED, sched))
		return invalid_arg("scheduler", sched, "too long");
	if (has_hold)
		mnl_attr_put_u32(nlh, MPUDP_A_TUNNEL_MAX_HOLD, hold);
	if (has_fec)
		mnl_attr_put_u32(nlh, MPUDP_A_TUNNEL_FEC, fec);
	mnl_attr_nest_end(nlh, nest);
	return request(nlh, print_tunnel_cb, false);
}

static int tunnel_del(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	uint32_t id;
	int used;

	used = parse_tunnel_id(argc, argv, &id);
	if (used < 0)
		return -used;
	if (argc > used)
		return unknown_arg("tunnel", argv[used]);
	nlh = nl_request(buf, MPUDP_CMD_TUNNEL_DEL, 0);
	nest = mnl_attr_nest_start(nlh, MPUDP_A_TUNNEL);
	mnl_attr_put_u32(nlh, MPUDP_A_TUNNEL_ID, id);
	mnl_attr_nest_end(nlh, nest);
	return request(nlh, NULL, false);
}

static int tunnel_set(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	const char *sched = NULL, *why;
	uint32_t id, hold = 0, fec = 0;
	bool has_hold = false, has_fec = false;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	int used;

	used = parse_tunnel_id(argc, argv, &id);
	if (used < 0)
		return -used;
	for (argc -= used, argv += used; argc > 0; argc -= 2, argv += 2) {
		if (strcmp(argv[0], "sched") && strcmp(argv[0], "max-hold") &&
		    strcmp(argv[0], "fec"))
			return unknown_arg("tunnel", argv[0]);
		if (argc < 2)
			return missing_value(argv[0]);
		if (!strcmp(argv[0], "sched")) {
			sched = argv[1];
			continue;
		}
		if (!strcmp(argv[0], "fec")) {
			why = parse_fec(argv[1], &fec);
			if (why)
				return invalid_arg("fec", argv[1], why);
			has_fec = true;
			continue;
		}
		why = parse_time_us(argv[1], UINT32_MAX, &hold);
		if (why)
			return invalid_arg("max-hold", argv[1], why);
		has_hold = true;
	}
	nlh = nl_request(buf, MPUDP_CMD_TUNNEL_SET, 0);
	nest = mnl_attr_nest_start(nlh, MPUDP_A_TUNNEL);
	mnl_attr_put_u32(nlh, MPUDP_A_TUNNEL_ID, id);
	if (sched && !mnl_attr_put_strz_check(nlh, sizeof(buf), MPUDP_A_TUNNEL_SCHED, sched))
		return invalid_arg("scheduler", sched, "too long");
	if (has_hold)
		mnl_attr_put_u32(nlh, MPUDP_A_TUNNEL_MAX_HOLD, hold);
	if (has_fec)
		mnl_attr_put_u32(nlh, MPUDP_A_TUNNEL_FEC, fec);
	mnl_attr_nest_end(nlh, nest);
	return request(nlh, print_tunnel_cb, false);
}

static int tunnel_show(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	uint32_t id = 0;
	int used;

	if (argc > 0) {
		used = parse_tunnel_id(argc, argv, &id);
		if (used < 0)
			return -used;
		if (argc > used)
			return unknown_arg("tunnel", argv[used]);
	}
	if (id) {
		nlh = nl_request(buf, MPUDP_CMD_TUNNEL_GET, 0);
		nest = mnl_attr_nest_start(nlh, MPUDP_A_TUNNEL);
		mnl_attr_put_u32(nlh, MPUDP_A_TUNNEL_ID, id);
		mnl_attr_nest_end(nlh, nest);
	} else {
		nlh = nl_request(buf, MPUDP_CMD_TUNNEL_GET, NLM_F_DUMP);
	}
	return request(nlh, print_tunnel_cb, true);
}

int tunnel_main(int argc, char **argv)
{
	if (argc < 1 || !strcmp(argv[0], "show") || !strcmp(argv[0], "list"))
		return tunnel_show(argc ? argc - 1 : 0, argv + 1);
	if (!strcmp(argv[0], "add"))
		return tunnel_add(argc - 1, argv + 1);
	if (!strcmp(argv[0], "del") || !strcmp(argv[0], "delete"))
		return tunnel_del(argc - 1, argv + 1);
	if (!strcmp(argv[0], "set"))
		return tunnel_set(argc - 1, argv + 1);
	return arg_error("unknown command \"%s\", try \"mpudpctl tunnel help\"",
			 argv[0]);
}
