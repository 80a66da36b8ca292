/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsing of command-line values. Every parser returns NULL on success and a
 * short reason on failure; it never prints and never exits, so that it can be
 * unit-tested and fuzzed.
 */
#ifndef MPUDPCTL_PARSE_H
#define MPUDPCTL_PARSE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct endpoint {
	int family;		/* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} addr;
	uint16_t port;		/* host order; 0 when none was given */
};

enum port_rule { PORT_NONE, PORT_OPTIONAL, PORT_REQUIRED };

/*
 * ADDR, ADDR:PORT, IPV6, [IPV6] or [IPV6]:PORT, as @rule allows.
 */
const char *parse_endpoint(const char *s, enum port_rule rule,
			   struct endpoint *ep);
const char *parse_port(const char *s, uint16_t *port);
const char *parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *v);
/* A duration: NUMBER[us|ms|s], milliseconds without a unit; in us. */
const char *parse_time_us(const char *s, uint32_t max_us, uint32_t *us);
/*
 * A rate in bit/s: NUMBER[.DIGITS][UNIT], UNIT one of tc's bit units in any
 * case: bit (the default), kbit, mbit, gbit, tbit (powers of 1000), kibit,
 * mibit, gibit, tibit (of 1024). tc's byte units (bps, kbps...) are refused:
 * "mbps" read as bytes would be 8 times what was meant. The rate must be a
 * whole number of bit/s.
 */
const char *parse_rate(const char *s, uint64_t *bps);
/* A rate as parse_rate() reads it back: NUMBER[Kbit|Mbit|Gbit|Tbit|bit]. */
const char *format_rate(uint64_t bps, char *buf, size_t len);

/* ADDR or ADDR:PORT, IPv6 in brackets when a port follows. */
const char *format_endpoint(int family, const void *addr, uint16_t port,
			    char *buf, size_t len);

#endif
