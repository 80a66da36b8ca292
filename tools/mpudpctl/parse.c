// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing of command-line values (see parse.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

const char *parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *v)
{
	unsigned long long n;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return "not a decimal number";
	errno = 0;
	n = strtoull(s, &end, 10);
	if (*end)
		return "not a decimal number";
	if (errno == ERANGE || n < min || n > max)
		return "out of range";
	*v = n;
	return NULL;
}

const char *parse_port(const char *s, uint16_t *port)
{
	uint32_t v;

	if (parse_u32(s, 1, 65535, &v))
		return "port must be a number from 1 to 65535";
	*port = v;
	return NULL;
}

static const char *parse_ip(const char *s, size_t len, int family,
			    struct endpoint *ep)
{
	char buf[INET6_ADDRSTRLEN];

	if (len == 0 || len >= sizeof(buf))
		return family == AF_INET6 ? "invalid IPv6 address" :
					    "invalid address";
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (family != AF_INET6 && inet_pton(AF_INET, buf, &ep->addr.v4) == 1) {
		ep->family = AF_INET;
		return NULL;
	}
	if (family != AF_INET && inet_pton(AF_INET6, buf, &ep->addr.v6) == 1) {
		ep->family = AF_INET6;
		return NULL;
	}
	return family == AF_INET6 ? "invalid IPv6 address" : "invalid address";
}

const char *parse_endpoint(const char *s, enum port_rule rule,
			   struct endpoint *ep)
{
	const char *colon, *close, *port = NULL, *err;
	size_t len;

	memset(ep, 0, sizeof(*ep));
	if (s[0] == '[') {
		close = strchr(s, ']');
		if (!close)
			return "missing ']'";
		err = parse_ip(s + 1, close - s - 1, AF_INET6, ep);
		if (err)
			return err;
		if (close[1] == ':')
			port = close + 2;
		else if (close[1])
			return "unexpected text after ']'";
	} else {
		colon = strchr(s, ':');
		if (colon && !strchr(colon + 1, ':')) {
			/* One colon: IPv4 address and port. */
			len = colon - s;
			port = colon + 1;
			err = parse_ip(s, len, AF_INET, ep);
		} else {
			/* No colon (IPv4) or several (bare IPv6, no port). */
			err = parse_ip(s, strlen(s), AF_UNSPEC, ep);
		}
		if (err)
			return err;
	}
	if (port) {
		if (rule == PORT_NONE)
			return "no port allowed here";
		return parse_port(port, &ep->port);
	}
	if (rule == PORT_REQUIRED)
		return ep->family == AF_INET6 ? "port required: [ADDR]:PORT" :
						"port required: ADDR:PORT";
	return NULL;
}

const char *format_endpoint(int family, const void *addr, uint16_t port,
			    char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN];

	if (!inet_ntop(family, addr, ip, sizeof(ip)))
		snprintf(ip, sizeof(ip), "?");
	if (!port)
		snprintf(buf, len, "%s", ip);
	else if (family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", ip, port);
	else
		snprintf(buf, len, "%s:%u", ip, port);
	return buf;
}

const char *parse_time_us(const char *s, uint32_t max_us, uint32_t *us)
{
	unsigned long long n, mult = 1000;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return "not a duration (NUMBER[us|ms|s])";
	errno = 0;
	n = strtoull(s, &end, 10);
	if (!strcmp(end, "us"))
		mult = 1;
	else if (!strcmp(end, "s"))
		mult = 1000000;
	else if (*end && strcmp(end, "ms"))
		return "not a duration (NUMBER[us|ms|s])";
	if (errno == ERANGE || n > max_us / mult)
		return "out of range";
	*us = n * mult;
	return NULL;
}
