/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generic netlink transport of mpudpctl, on libmnl: resolves the "mpudp"
 * family, sends requests, runs callbacks on replies and keeps the kernel's
 * extended ACK message for the error report.
 */
#ifndef MPUDPCTL_NL_H
#define MPUDPCTL_NL_H

#include <libmnl/libmnl.h>
#include <stdint.h>

/* Opens the socket and resolves the family; prints why and returns -1. */
int nl_open(void);
void nl_close(void);

/* Starts a request of @cmd in @buf (at least MNL_SOCKET_BUFFER_SIZE). */
struct nlmsghdr *nl_request(char *buf, uint8_t cmd, uint16_t flags);

/*
 * Sends @nlh and runs @cb on every reply message until the ACK or the end of
 * the dump. Returns 0, or -1 with errno set and the error recorded.
 */
int nl_talk(struct nlmsghdr *nlh, mnl_cb_t cb, void *data);

/* Prints "Error: " and the kernel's message for the last failed request. */
void nl_perror(void);

/* Joins the monitor group and calls @cb for every event; returns on error. */
int nl_listen_monitor(mnl_cb_t cb, void *data);

/*
 * The number of elements of the array @a; a pointer does not compile (its
 * size is not the table's).
 */
#define NL_ARRAY_SIZE(a)						\
	(sizeof(a) / sizeof((a)[0]) +					\
	 0 * sizeof(char[1 - 2 * __builtin_types_compatible_p(		\
		__typeof__(a), __typeof__(&(a)[0]))]))

/*
 * Parses the attributes of a nest, or the top-level attributes of a generic
 * netlink message, into the table @tb, an array: its size bounds the
 * attribute types kept (newer ones are skipped).
 */
#define nl_parse_nest(nest, tb)	__nl_parse_nest(nest, tb, NL_ARRAY_SIZE(tb) - 1)
#define nl_parse_msg(nlh, tb)	__nl_parse_msg(nlh, tb, NL_ARRAY_SIZE(tb) - 1)
void __nl_parse_nest(const struct nlattr *nest, const struct nlattr **tb,
		     unsigned int max);
void __nl_parse_msg(const struct nlmsghdr *nlh, const struct nlattr **tb,
		    unsigned int max);

#endif
