// SPDX-License-Identifier: GPL-2.0
/*
 * mpudpctl path { add | del | set | show }
 */
#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <linux/mpudp.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "nl.h"
#include "print.h"

void path_usage(void)
{
	printf("Usage: mpudpctl path add tunnel ID remote ENDPOINT [ local ENDPOINT ]\n"
	       "                            [ dev IFNAME ] [ weight WEIGHT ] [ backup ]\n"
	       "                            [ rate-cap RATE ]\n"
	       "       mpudpctl path del tunnel ID id PATH_ID\n"
	       "       mpudpctl path set tunnel ID id PATH_ID [ weight WEIGHT ]\n"
	       "                                             [ backup | nobackup ]\n"
	       "                                             [ rate-cap RATE ]\n"
	       "       mpudpctl path show [ tunnel ID [ id PATH_ID ] ]\n"
	       "ENDPOINT := { IPV4[:PORT] | IPV6 | [IPV6][:PORT] }\n"
	       "WEIGHT := 1-1000, the path's share for the weighted scheduler\n"
	       "RATE := { NUMBER[bit|kbit|mbit|gbit|tbit] | 0 | none }, the most the\n"
	       "        edpf and minrtt schedulers give the path (0 or none: no cap)\n"
	       "A path needs a local address, a device or both; its ports default\n"
	       "to the tunnel's.\n");
}

static const struct {
	int attr;
	const char *key, *label;
} path_stats[] = {
	{ MPUDP_A_PATH_STATS_TX_PACKETS, "tx_packets", "tx: packets" },
	{ MPUDP_A_PATH_STATS_TX_BYTES, "tx_bytes", "bytes" },
	{ MPUDP_A_PATH_STATS_TX_ERRORS, "tx_errors", "errors" },
	{ MPUDP_A_PATH_STATS_RX_PACKETS, "rx_packets", "rx: packets" },
	{ MPUDP_A_PATH_STATS_RX_BYTES, "rx_bytes", "bytes" },
	{ MPUDP_A_PATH_STATS_RX_LOST, "rx_lost", "lost" },
	{ MPUDP_A_PATH_STATS_RX_OUT_OF_ORDER, "rx_out_of_order", "out-of-order" },
	{ MPUDP_A_PATH_STATS_RX_MALFORMED, "rx_malformed", "malformed" },
	{ MPUDP_A_PATH_STATS_RX_BAD_VERSION, "rx_bad_version", "bad-version" },
	{ MPUDP_A_PATH_STATS_RX_UNKNOWN_TUNNEL, "rx_unknown_tunnel", "unknown-tunnel" },
	{ MPUDP_A_PATH_STATS_RX_CSUM_ERRORS, "rx_csum_errors", "csum-errors" },
	{ MPUDP_A_PATH_STATS_RX_PROBES, "rx_probes", "probes" },
	{ MPUDP_A_PATH_STATS_TX_PROBES, "tx_probes", "tx probes" },
	{ MPUDP_A_PATH_STATS_FAILURES, "failures", "failures" },
};

static const struct {
	int attr;
	const char *key, *label;
} path_estimates[] = {
	{ MPUDP_A_PATH_STATS_DELAY, "delay_us", "delay" },
	{ MPUDP_A_PATH_STATS_JITTER, "jitter_us", "jitter" },
	{ MPUDP_A_PATH_STATS_SRTT, "srtt_us", "srtt" },
	{ MPUDP_A_PATH_STATS_RTTVAR, "rttvar_us", "rttvar" },
	{ MPUDP_A_PATH_STATS_MIN_RTT, "min_rtt_us", "min-rtt" },
	{ MPUDP_A_PATH_STATS_TX_DELAY, "tx_delay_us", "tx-delay" },
	{ MPUDP_A_PATH_STATS_TX_QUEUE, "tx_queue_us", "tx-queue" },
	{ MPUDP_A_PATH_STATS_TX_STANDING, "tx_standing_us", "tx-standing" },
	{ MPUDP_A_PATH_STATS_TX_SILENCE, "tx_silence_us", "tx-silence" },
};

const char *path_state_name(uint32_t state)
{
	static const char *const names[] = {
		[MPUDP_PATH_STATE_PROBING] = "probing",
		[MPUDP_PATH_STATE_ACTIVE] = "active",
		[MPUDP_PATH_STATE_SUSPECT] = "suspect",
		[MPUDP_PATH_STATE_FAILED] = "failed",
	};

	return state < sizeof(names) / sizeof(names[0]) ? names[state] : "unknown";
}

/* The peer's view of the path: loss (ppm) and delivery rate (bit/s). */
static void print_tx_quality(const struct nlattr **tb)
{
	char buf[64];
	uint64_t rate;
	uint32_t loss;

	if (tb[MPUDP_A_PATH_STATS_TX_LOSS]) {
		loss = mnl_attr_get_u32(tb[MPUDP_A_PATH_STATS_TX_LOSS]);
		print_uint(PRINT_JSON, "tx_loss_ppm", NULL, loss);
		snprintf(buf, sizeof(buf), " tx-loss %.2f%%", loss / 10000.0);
		if (show_stats)
			print_string(PRINT_TEXT, NULL, "%s", buf);
	}
	if (tb[MPUDP_A_PATH_STATS_TX_RATE]) {
		rate = mnl_attr_get_u64(tb[MPUDP_A_PATH_STATS_TX_RATE]);
		print_uint(PRINT_JSON, "tx_rate_bps", NULL, rate);
		if (rate >= 1000000)
			snprintf(buf, sizeof(buf), " tx-rate %.1fMbit", rate / 1e6);
		else
			snprintf(buf, sizeof(buf), " tx-rate %.1fKbit", rate / 1e3);
		if (show_stats)
			print_string(PRINT_TEXT, NULL, "%s", buf);
	}
}

static void print_path_stats(const struct nlattr *nest, const char *indent)
{
	const struct nlattr *tb[MPUDP_A_PATH_STATS_MAX + 1];
	unsigned int i;

	nl_parse_nest(nest, tb);
	print_open_obj("stats");
	for (i = 0; i < sizeof(path_stats) / sizeof(path_stats[0]); i++) {
		if (show_stats && (path_stats[i].attr == MPUDP_A_PATH_STATS_TX_PACKETS ||
				   path_stats[i].attr == MPUDP_A_PATH_STATS_RX_PACKETS))
			print_text("\n%s", indent);
		print_counter(tb[path_stats[i].attr], path_stats[i].key,
			      path_stats[i].label);
	}
	if (show_stats)
		print_text("\n%s", indent);
	for (i = 0; i < sizeof(path_estimates) / sizeof(path_estimates[0]); i++) {
		if (!tb[path_estimates[i].attr])
			continue;
		if (show_stats)
			print_duration(path_estimates[i].label, path_estimates[i].key,
				       mnl_attr_get_u32(tb[path_estimates[i].attr]));
		else
			print_uint(PRINT_JSON, path_estimates[i].key, NULL,
				   mnl_attr_get_u32(tb[path_estimates[i].attr]));
	}
	print_tx_quality(tb);
	print_close_obj();
}

/* The cap in bit/s; in text only when there is one, as tc writes rates. */
static void print_rate_cap(uint64_t cap)
{
	char buf[32];

	print_uint(PRINT_JSON, "rate_cap_bps", NULL, cap);
	if (cap)
		print_string(PRINT_TEXT, NULL, " rate-cap %s",
			     format_rate(cap, buf, sizeof(buf)));
}

void print_path(const struct nlattr *nest, bool with_tunnel)
{
	const struct nlattr *tb[MPUDP_A_PATH_MAX + 1];
	char ifname[IF_NAMESIZE];
	uint32_t ifindex, flags;

	nl_parse_nest(nest, tb);
	if (!tb[MPUDP_A_PATH_ID])
		return;
	print_open_obj(NULL);
	if (with_tunnel && tb[MPUDP_A_PATH_TUNNEL_ID])
		print_uint(PRINT_ANY, "tunnel", "tunnel %llu ",
			   mnl_attr_get_u32(tb[MPUDP_A_PATH_TUNNEL_ID]));
	print_uint(PRINT_ANY, "id", "path %llu",
		   mnl_attr_get_u32(tb[MPUDP_A_PATH_ID]));
	if (tb[MPUDP_A_PATH_IFINDEX]) {
		ifindex = mnl_attr_get_u32(tb[MPUDP_A_PATH_IFINDEX]);
		print_uint(PRINT_JSON, "ifindex", NULL, ifindex);
		if (if_indextoname(ifindex, ifname))
			print_string(PRINT_ANY, "dev", " dev %s", ifname);
		else
			print_uint(PRINT_TEXT, NULL, " ifindex %llu", ifindex);
	}
	print_endpoint("local", tb[MPUDP_A_PATH_LOCAL_IPV4],
		       tb[MPUDP_A_PATH_LOCAL_IPV6], tb[MPUDP_A_PATH_LOCAL_PORT]);
	print_endpoint("remote", tb[MPUDP_A_PATH_REMOTE_IPV4],
		       tb[MPUDP_A_PATH_REMOTE_IPV6], tb[MPUDP_A_PATH_REMOTE_PORT]);
	if (tb[MPUDP_A_PATH_WEIGHT])
		print_uint(PRINT_ANY, "weight", " weight %llu",
			   mnl_attr_get_u32(tb[MPUDP_A_PATH_WEIGHT]));
	flags = tb[MPUDP_A_PATH_FLAGS] ? mnl_attr_get_u32(tb[MPUDP_A_PATH_FLAGS]) : 0;
	print_bool(PRINT_ANY, "backup", " backup", flags & MPUDP_PATH_F_BACKUP);
	if (tb[MPUDP_A_PATH_RATE_CAP])
		print_rate_cap(mnl_attr_get_u64(tb[MPUDP_A_PATH_RATE_CAP]));
	if (tb[MPUDP_A_PATH_STATE])
		print_string(PRINT_ANY, "state", " state %s",
			     path_state_name(mnl_attr_get_u32(tb[MPUDP_A_PATH_STATE])));
	/* Flags this mpudpctl does not know are still shown. */
	if (flags & ~MPUDP_PATH_F_BACKUP)
		print_uint(PRINT_ANY, "rawflags", " rawflags 0x%llx",
			   flags & ~MPUDP_PATH_F_BACKUP);
	if (tb[MPUDP_A_PATH_STATS])
		print_path_stats(tb[MPUDP_A_PATH_STATS], with_tunnel ? "   " : "       ");
	print_text("\n");
	print_close_obj();
}

static int print_path_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *top[MPUDP_A_MAX + 1];

	(void)data;
	nl_parse_msg(nlh, top);
	if (top[MPUDP_A_PATH])
		print_path(top[MPUDP_A_PATH], true);
	return MNL_CB_OK;
}

struct path_args {
	uint32_t tunnel, id, weight, ifindex;
	struct endpoint local, remote;
	int backup;		/* -1: not given */
	bool has_weight, has_rate_cap;
	uint64_t rate_cap;	/* bit/s, 0: none */
};

/* Parses the keywords of every path command; @allowed limits them. */
static int parse_path_args(int argc, char **argv, const char *const *allowed,
			   struct path_args *pa)
{
	const char *kw, *why;
	int i;

	memset(pa, 0, sizeof(*pa));
	pa->backup = -1;
	for (; argc > 0; argc--, argv++) {
		kw = argv[0];
		for (i = 0; allowed[i] && strcmp(allowed[i], kw); i++)
			;
		if (!allowed[i])
			return unknown_arg("path", kw);
		if (!strcmp(kw, "backup") || !strcmp(kw, "nobackup")) {
			pa->backup = !strcmp(kw, "backup");
			continue;
		}
		if (argc < 2)
			return missing_value(kw);
		argc--;
		argv++;
		if (!strcmp(kw, "tunnel")) {
			why = parse_u32(argv[0], 1, UINT32_MAX, &pa->tunnel);
			if (why)
				return invalid_arg("tunnel id", argv[0], why);
		} else if (!strcmp(kw, "id")) {
			why = parse_u32(argv[0], 1, UINT32_MAX, &pa->id);
			if (why)
				return invalid_arg("path id", argv[0], why);
		} else if (!strcmp(kw, "weight")) {
			why = parse_u32(argv[0], 0, UINT32_MAX, &pa->weight);
			if (why)
				return invalid_arg("weight", argv[0], why);
			pa->has_weight = true;
		} else if (!strcmp(kw, "rate-cap")) {
			why = !strcmp(argv[0], "none") ? NULL :
			      parse_rate(argv[0], &pa->rate_cap);
			if (why)
				return invalid_arg("rate-cap", argv[0], why);
			pa->has_rate_cap = true;
		} else if (!strcmp(kw, "local")) {
			why = parse_endpoint(argv[0], PORT_OPTIONAL, &pa->local);
			if (why)
				return invalid_arg("local endpoint", argv[0], why);
		} else if (!strcmp(kw, "remote")) {
			why = parse_endpoint(argv[0], PORT_OPTIONAL, &pa->remote);
			if (why)
				return invalid_arg("remote endpoint", argv[0], why);
		} else if (!strcmp(kw, "dev")) {
			pa->ifindex = if_nametoindex(argv[0]);
			if (!pa->ifindex)
				return invalid_arg("device", argv[0], "no such device");
		}
	}
	return 0;
}

static struct nlmsghdr *path_request(char *buf, uint8_t cmd, uint16_t flags,
				     const struct path_args *pa)
{
	struct nlmsghdr *nlh = nl_request(buf, cmd, flags);
	struct nlattr *nest = mnl_attr_nest_start(nlh, MPUDP_A_PATH);

	if (pa->tunnel)
		mnl_attr_put_u32(nlh, MPUDP_A_PATH_TUNNEL_ID, pa->tunnel);
	if (pa->id)
		mnl_attr_put_u32(nlh, MPUDP_A_PATH_ID, pa->id);
	if (pa->ifindex)
		mnl_attr_put_u32(nlh, MPUDP_A_PATH_IFINDEX, pa->ifindex);
	if (pa->local.family == AF_INET)
		mnl_attr_put(nlh, MPUDP_A_PATH_LOCAL_IPV4, 4, &pa->local.addr.v4);
	else if (pa->local.family == AF_INET6)
		mnl_attr_put(nlh, MPUDP_A_PATH_LOCAL_IPV6, 16, &pa->local.addr.v6);
	if (pa->local.port)
		mnl_attr_put_u16(nlh, MPUDP_A_PATH_LOCAL_PORT, htons(pa->local.port));
	if (pa->remote.family == AF_INET)
		mnl_attr_put(nlh, MPUDP_A_PATH_REMOTE_IPV4, 4, &pa->remote.addr.v4);
	else if (pa->remote.family == AF_INET6)
		mnl_attr_put(nlh, MPUDP_A_PATH_REMOTE_IPV6, 16, &pa->remote.addr.v6);
	if (pa->remote.port)
		mnl_attr_put_u16(nlh, MPUDP_A_PATH_REMOTE_PORT, htons(pa->remote.port));
	if (pa->has_weight)
		mnl_attr_put_u32(nlh, MPUDP_A_PATH_WEIGHT, pa->weight);
	if (pa->backup >= 0)
		mnl_attr_put_u32(nlh, MPUDP_A_PATH_FLAGS,
				 pa->backup ? MPUDP_PATH_F_BACKUP : 0);
	if (pa->has_rate_cap)
		mnl_attr_put_u64(nlh, MPUDP_A_PATH_RATE_CAP, pa->rate_cap);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

static int path_do(int argc, char **argv, uint8_t cmd,
		   const char *const *allowed, bool print)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct path_args pa;
	struct nlmsghdr *nlh;
	int ret;

	ret = parse_path_args(argc, argv, allowed, &pa);
	if (ret)
		return ret;
	nlh = path_request(buf, cmd, 0, &pa);
	return request(nlh, print ? print_path_cb : NULL, false);
}

static const char *const add_keywords[] = {
	"tunnel", "remote", "local", "dev", "weight", "backup", "nobackup",
	"rate-cap", NULL
};
static const char *const del_keywords[] = { "tunnel", "id", NULL };
static const char *const set_keywords[] = {
	"tunnel", "id", "weight", "backup", "nobackup", "rate-cap", NULL
};

static int path_show(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct path_args pa;
	struct nlmsghdr *nlh;
	int ret;

	ret = parse_path_args(argc, argv, del_keywords, &pa);
	if (ret)
		return ret;
	if (pa.id && !pa.tunnel)
		return arg_error("a path id needs a tunnel id");
	nlh = path_request(buf, MPUDP_CMD_PATH_GET, pa.id ? 0 : NLM_F_DUMP, &pa);
	return request(nlh, print_path_cb, true);
}

int path_main(int argc, char **argv)
{
	if (argc < 1 || !strcmp(argv[0], "show") || !strcmp(argv[0], "list"))
		return path_show(argc ? argc - 1 : 0, argv + 1);
	if (!strcmp(argv[0], "add"))
		return path_do(argc - 1, argv + 1, MPUDP_CMD_PATH_NEW,
			       add_keywords, true);
	if (!strcmp(argv[0], "del") || !strcmp(argv[0], "delete"))
		return path_do(argc - 1, argv + 1, MPUDP_CMD_PATH_DEL,
			       del_keywords, false);
	if (!strcmp(argv[0], "set"))
		return path_do(argc - 1, argv + 1, MPUDP_CMD_PATH_SET,
			       set_keywords, true);
	return arg_error("unknown command \"%s\", try \"mpudpctl path help\"",
			 argv[0]);
}
