// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink transport of mpudpctl (see nl.h).
 */
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/mpudp.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "nl.h"

/* Large enough for any message the kernel sends in one dump batch. */
#define RECV_BUFFER_SIZE (64 * 1024)

static struct mnl_socket *sock;
static uint16_t family_id;
static uint32_t monitor_group;
static unsigned int portid;
static uint32_t seq;

static char ext_msg[256];
static int ext_errno;
static int dump_intr;

struct tb_ctx {
	const struct nlattr **tb;
	unsigned int max;
};

static int attr_cb(const struct nlattr *attr, void *data)
{
	struct tb_ctx *ctx = data;
	unsigned int type = mnl_attr_get_type(attr);

	/* Unknown (newer) attributes are skipped, not fatal. */
	if (type <= ctx->max)
		ctx->tb[type] = attr;
	return MNL_CB_OK;
}

void __nl_parse_nest(const struct nlattr *nest, const struct nlattr **tb,
		     unsigned int max)
{
	struct tb_ctx ctx = { tb, max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	mnl_attr_parse_nested(nest, attr_cb, &ctx);
}

void __nl_parse_msg(const struct nlmsghdr *nlh, const struct nlattr **tb,
		    unsigned int max)
{
	struct tb_ctx ctx = { tb, max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), attr_cb, &ctx);
}

/* Records the extended ACK that follows an error at @offset in @nlh. */
static void record_extack(const struct nlmsghdr *nlh, unsigned int offset)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	struct tb_ctx ctx = { tb, NLMSGERR_ATTR_MAX };

	ext_msg[0] = '\0';
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	memset(tb, 0, sizeof(tb));
	if (offset > nlh->nlmsg_len - sizeof(*nlh))
		return;
	mnl_attr_parse(nlh, offset, attr_cb, &ctx);
	if (tb[NLMSGERR_ATTR_MSG] &&
	    mnl_attr_validate(tb[NLMSGERR_ATTR_MSG], MNL_TYPE_NUL_STRING) == 0)
		snprintf(ext_msg, sizeof(ext_msg), "%s",
			 mnl_attr_get_str(tb[NLMSGERR_ATTR_MSG]));
#ifdef NLMSGERR_ATTR_MISS_TYPE
	else if (tb[NLMSGERR_ATTR_MISS_TYPE])
		snprintf(ext_msg, sizeof(ext_msg), "missing attribute type %u",
			 mnl_attr_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]));
#endif
}

static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	unsigned int offset = sizeof(*err);

	(void)data;
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*err))) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (err->error == 0)
		return MNL_CB_STOP;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		offset += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
	record_extack(nlh, offset);
	ext_errno = -err->error;
	errno = -err->error;
	return MNL_CB_ERROR;
}

static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	int err;

	(void)data;
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(int)))
		return MNL_CB_STOP;
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	if (err >= 0)
		return MNL_CB_STOP;
	record_extack(nlh, sizeof(int));
	ext_errno = -err;
	errno = -err;
	return MNL_CB_ERROR;
}

static mnl_cb_t ctl_cbs[NLMSG_MIN_TYPE] = {
	[NLMSG_ERROR] = error_cb,
	[NLMSG_DONE] = done_cb,
};

struct nlmsghdr *nl_request(char *buf, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = family_id;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = MPUDP_GENL_VERSION;
	return nlh;
}

struct cb_ctx {
	mnl_cb_t cb;
	void *data;
};

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct cb_ctx *ctx = data;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		dump_intr = 1;
	return ctx->cb ? ctx->cb(nlh, ctx->data) : MNL_CB_OK;
}

int nl_talk(struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	static char buf[RECV_BUFFER_SIZE];
	struct cb_ctx ctx = { cb, data };
	ssize_t n;
	int ret;

	ext_msg[0] = '\0';
	ext_errno = 0;
	dump_intr = 0;
	if (mnl_socket_sendto(sock, nlh, nlh->nlmsg_len) < 0) {
		ext_errno = errno;
		return -1;
	}
	do {
		n = mnl_socket_recvfrom(sock, buf, sizeof(buf));
		if (n < 0) {
			ext_errno = errno;
			return -1;
		}
		ret = mnl_cb_run2(buf, n, nlh->nlmsg_seq, portid, data_cb, &ctx,
				  ctl_cbs, NLMSG_MIN_TYPE);
	} while (ret > 0);
	if (ret < 0) {
		if (!ext_errno)
			ext_errno = errno;
		return -1;
	}
	if (dump_intr)
		fprintf(stderr, "Warning: the configuration changed during the dump; it may be inconsistent\n");
	return 0;
}

void nl_perror(void)
{
	if (ext_msg[0])
		fprintf(stderr, "Error: %s\n", ext_msg);
	else
		fprintf(stderr, "Error: %s\n", strerror(ext_errno));
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];

	(void)data;
	const struct nlattr *grp, *gtb[CTRL_ATTR_MCAST_GRP_MAX + 1];

	nl_parse_msg(nlh, tb);
	if (tb[CTRL_ATTR_FAMILY_ID])
		family_id = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return MNL_CB_OK;
	mnl_attr_for_each_nested(grp, tb[CTRL_ATTR_MCAST_GROUPS]) {
		nl_parse_nest(grp, gtb);
		if (gtb[CTRL_ATTR_MCAST_GRP_NAME] && gtb[CTRL_ATTR_MCAST_GRP_ID] &&
		    !strcmp(mnl_attr_get_str(gtb[CTRL_ATTR_MCAST_GRP_NAME]),
			    MPUDP_MCGRP_MONITOR))
			monitor_group = mnl_attr_get_u32(gtb[CTRL_ATTR_MCAST_GRP_ID]);
	}
	return MNL_CB_OK;
}

int nl_open(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;
	int one = 1;

	if (sock)
		return 0;
	sock = mnl_socket_open(NETLINK_GENERIC);
	if (!sock || mnl_socket_bind(sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		fprintf(stderr, "Error: cannot open a generic netlink socket: %s\n",
			strerror(errno));
		return -1;
	}
	portid = mnl_socket_get_portid(sock);
	seq = time(NULL);
	mnl_socket_setsockopt(sock, NETLINK_CAP_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(sock, NETLINK_EXT_ACK, &one, sizeof(one));

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CTRL_CMD_GETFAMILY;
	genl->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, MPUDP_GENL_NAME);
	if (nl_talk(nlh, family_cb, NULL) < 0 || !family_id) {
		if (ext_errno == ENOENT)
			fprintf(stderr, "Error: the mpudp kernel module is not loaded\n");
		else
			nl_perror();
		return -1;
	}
	return 0;
}

int nl_listen_monitor(mnl_cb_t cb, void *data)
{
	static char buf[RECV_BUFFER_SIZE];
	ssize_t n;

	if (!monitor_group) {
		fprintf(stderr, "Error: the mpudp module has no monitor group\n");
		return -1;
	}
	if (mnl_socket_setsockopt(sock, NETLINK_ADD_MEMBERSHIP, &monitor_group,
				  sizeof(monitor_group)) < 0) {
		fprintf(stderr, "Error: cannot join the monitor group: %s\n",
			strerror(errno));
		return -1;
	}
	for (;;) {
		n = mnl_socket_recvfrom(sock, buf, sizeof(buf));
		if (n < 0) {
			if (errno == ENOBUFS) {
				fprintf(stderr, "Warning: events were lost (receive buffer full)\n");
				continue;
			}
			fprintf(stderr, "Error: %s\n", strerror(errno));
			return -1;
		}
		if (mnl_cb_run(buf, n, 0, 0, cb, data) < 0) {
			fprintf(stderr, "Error: bad event: %s\n", strerror(errno));
			return -1;
		}
	}
}

void nl_close(void)
{
	if (sock)
		mnl_socket_close(sock);
	sock = NULL;
	family_id = 0;
	monitor_group = 0;
}
