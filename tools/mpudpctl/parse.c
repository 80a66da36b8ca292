// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing of command-line values (see parse.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

static const struct {
	const char *name;
	uint64_t scale;
} rate_units[] = {
	{ "", 1 },
	{ "bit", 1 },
	{ "kbit", 1000ULL },
	{ "mbit", 1000000ULL },
	{ "gbit", 1000000000ULL },
	{ "tbit", 1000000000000ULL },
	{ "kibit", 1ULL << 10 },
	{ "mibit", 1ULL << 20 },
	{ "gibit", 1ULL << 30 },
	{ "tibit", 1ULL << 40 },
};

#define NOT_A_RATE "not a rate (NUMBER[bit|kbit|mbit|gbit|tbit])"

const char *parse_rate(const char *s, uint64_t *bps)
{
	unsigned __int128 whole = 0, num = 0, den = 1, v;
	const char *p, *frac = NULL, *end;
	uint64_t scale = 0;
	unsigned int i;

	if (!s || *s < '0' || *s > '9')
		return NOT_A_RATE;
	/* Stops growing past UINT64_MAX: out of range anyway. */
	for (p = s; *p >= '0' && *p <= '9'; p++)
		if (whole <= UINT64_MAX)
			whole = whole * 10 + (*p - '0');
	if (*p == '.') {
		frac = ++p;
		while (*p >= '0' && *p <= '9')
			p++;
		if (p == frac)
			return NOT_A_RATE;
	}
	for (i = 0; i < sizeof(rate_units) / sizeof(rate_units[0]); i++) {
		if (!strcasecmp(p, rate_units[i].name)) {
			scale = rate_units[i].scale;
			break;
		}
	}
	if (!scale)
		return NOT_A_RATE;
	if (frac) {
		/* Trailing zeros change nothing; 19 digits fit 64 bits. */
		for (end = p; end > frac && end[-1] == '0'; end--)
			;
		if (end - frac > 19)
			return "too many digits after the point";
		for (; frac < end; frac++) {
			num = num * 10 + (*frac - '0');
			den *= 10;
		}
	}
	if (whole > UINT64_MAX)
		return "out of range";
	if (num * scale % den)
		return "not a whole number of bit/s";
	v = whole * scale + num * scale / den;
	if (v > UINT64_MAX)
		return "out of range";
	*bps = v;
	return NULL;
}

const char *format_rate(uint64_t bps, char *buf, size_t len)
{
	static const struct {
		const char *name;
		uint64_t scale;
	} units[] = {
		{ "Tbit", 1000000000000ULL },
		{ "Gbit", 1000000000ULL },
		{ "Mbit", 1000000ULL },
		{ "Kbit", 1000ULL },
	};
	unsigned int i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (bps && bps % units[i].scale == 0) {
			snprintf(buf, len, "%llu%s",
				 (unsigned long long)(bps / units[i].scale),
				 units[i].name);
			return buf;
		}
	}
	snprintf(buf, len, "%llubit", (unsigned long long)bps);
	return buf;
}
