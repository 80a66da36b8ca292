// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of mpudpctl's value parsers (parse.c), table-driven; KTAP output.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "parse.h"

struct ep_case {
	const char *in;
	enum port_rule rule;
	const char *err;	/* NULL: must parse */
	int family;
	const char *addr;	/* as inet_ntop prints it */
	uint16_t port;
};

static const struct ep_case ep_cases[] = {
	{ "10.0.0.1:51820", PORT_REQUIRED, NULL, AF_INET, "10.0.0.1", 51820 },
	{ "10.0.0.1", PORT_OPTIONAL, NULL, AF_INET, "10.0.0.1", 0 },
	{ "10.0.0.1", PORT_REQUIRED, "port required: ADDR:PORT", 0, NULL, 0 },
	{ "10.0.0.1:1", PORT_NONE, "no port allowed here", 0, NULL, 0 },
	{ "[2001:db8::1]:443", PORT_REQUIRED, NULL, AF_INET6, "2001:db8::1", 443 },
	{ "[2001:db8::1]", PORT_OPTIONAL, NULL, AF_INET6, "2001:db8::1", 0 },
	{ "2001:db8::1", PORT_OPTIONAL, NULL, AF_INET6, "2001:db8::1", 0 },
	{ "::1", PORT_OPTIONAL, NULL, AF_INET6, "::1", 0 },
	{ "2001:db8::1", PORT_REQUIRED, "port required: [ADDR]:PORT", 0, NULL, 0 },
	{ "[::ffff:10.0.0.1]:9", PORT_REQUIRED, NULL, AF_INET6, "::ffff:10.0.0.1", 9 },
	{ "[2001:db8::1", PORT_OPTIONAL, "missing ']'", 0, NULL, 0 },
	{ "[2001:db8::1]x", PORT_OPTIONAL, "unexpected text after ']'", 0, NULL, 0 },
	{ "[10.0.0.1]:1", PORT_OPTIONAL, "invalid IPv6 address", 0, NULL, 0 },
	{ "10.0.0.256:1", PORT_OPTIONAL, "invalid address", 0, NULL, 0 },
	{ "10.0.0:1", PORT_OPTIONAL, "invalid address", 0, NULL, 0 },
	{ ":1", PORT_OPTIONAL, "invalid address", 0, NULL, 0 },
	{ "", PORT_OPTIONAL, "invalid address", 0, NULL, 0 },
	{ "host.example:1", PORT_OPTIONAL, "invalid address", 0, NULL, 0 },
	{ "10.0.0.1:", PORT_OPTIONAL, "port must be a number from 1 to 65535", 0, NULL, 0 },
	{ "10.0.0.1:0", PORT_OPTIONAL, "port must be a number from 1 to 65535", 0, NULL, 0 },
	{ "10.0.0.1:65535", PORT_OPTIONAL, NULL, AF_INET, "10.0.0.1", 65535 },
	{ "10.0.0.1:65536", PORT_OPTIONAL, "port must be a number from 1 to 65535", 0, NULL, 0 },
	{ "10.0.0.1:+5", PORT_OPTIONAL, "port must be a number from 1 to 65535", 0, NULL, 0 },
	{ "10.0.0.1:5x", PORT_OPTIONAL, "port must be a number from 1 to 65535", 0, NULL, 0 },
	{ "[::1]:99999999999999999999", PORT_OPTIONAL, "port must be a number from 1 to 65535", 0, NULL, 0 },
};

struct u32_case {
	const char *in;
	uint32_t min, max;
	const char *err;
	uint32_t v;
};

static const struct u32_case u32_cases[] = {
	{ "0", 0, 10, NULL, 0 },
	{ "10", 0, 10, NULL, 10 },
	{ "11", 0, 10, "out of range", 0 },
	{ "0", 1, 10, "out of range", 0 },
	{ "4294967295", 0, UINT32_MAX, NULL, UINT32_MAX },
	{ "4294967296", 0, UINT32_MAX, "out of range", 0 },
	{ "18446744073709551616", 0, UINT32_MAX, "out of range", 0 },
	{ "-1", 0, UINT32_MAX, "not a decimal number", 0 },
	{ " 1", 0, UINT32_MAX, "not a decimal number", 0 },
	{ "1 ", 0, UINT32_MAX, "not a decimal number", 0 },
	{ "0x10", 0, UINT32_MAX, "not a decimal number", 0 },
	{ "", 0, UINT32_MAX, "not a decimal number", 0 },
};

struct time_case {
	const char *in;
	const char *err;
	uint32_t us;
};

static const struct time_case time_cases[] = {
	{ "100", NULL, 100000 },
	{ "100ms", NULL, 100000 },
	{ "250us", NULL, 250 },
	{ "1s", NULL, 1000000 },
	{ "0", NULL, 0 },
	{ "4294967295us", NULL, 4294967295u },
	{ "4294968s", "out of range", 0 },
	{ "5x", "not a duration (NUMBER[us|ms|s])", 0 },
	{ "ms", "not a duration (NUMBER[us|ms|s])", 0 },
	{ "-1", "not a duration (NUMBER[us|ms|s])", 0 },
	{ "1.5ms", "not a duration (NUMBER[us|ms|s])", 0 },
};

struct fmt_case {
	int family;
	const char *addr;
	uint16_t port;
	const char *out;
};

static const struct fmt_case fmt_cases[] = {
	{ AF_INET, "192.0.2.1", 51820, "192.0.2.1:51820" },
	{ AF_INET, "192.0.2.1", 0, "192.0.2.1" },
	{ AF_INET6, "2001:db8::1", 51820, "[2001:db8::1]:51820" },
	{ AF_INET6, "2001:db8::1", 0, "2001:db8::1" },
};

static int n, failed;

static void result(int ok, const char *what, const char *in)
{
	n++;
	failed += !ok;
	printf("%s %d mpudpctl parser: %s \"%s\"\n", ok ? "ok" : "not ok", n, what, in);
}

static int same_err(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

int main(void)
{
	char buf[64], ip[INET6_ADDRSTRLEN];
	unsigned char raw[16];
	struct endpoint ep;
	const char *err;
	unsigned int i;
	uint32_t v;
	int ok;

	printf("TAP version 13\n");
	for (i = 0; i < sizeof(ep_cases) / sizeof(ep_cases[0]); i++) {
		const struct ep_case *c = &ep_cases[i];

		err = parse_endpoint(c->in, c->rule, &ep);
		ok = same_err(err, c->err);
		if (ok && !err) {
			inet_ntop(ep.family, &ep.addr, ip, sizeof(ip));
			ok = ep.family == c->family && !strcmp(ip, c->addr) &&
			     ep.port == c->port;
		}
		if (!ok)
			printf("# got \"%s\"\n", err ? err : "(parsed)");
		result(ok, "endpoint", c->in);
	}
	for (i = 0; i < sizeof(u32_cases) / sizeof(u32_cases[0]); i++) {
		const struct u32_case *c = &u32_cases[i];

		v = 12345;
		err = parse_u32(c->in, c->min, c->max, &v);
		ok = same_err(err, c->err) && (err ? v == 12345 : v == c->v);
		result(ok, "number", c->in);
	}
	for (i = 0; i < sizeof(time_cases) / sizeof(time_cases[0]); i++) {
		const struct time_case *c = &time_cases[i];

		v = 12345;
		err = parse_time_us(c->in, UINT32_MAX, &v);
		ok = same_err(err, c->err) && (err ? v == 12345 : v == c->us);
		result(ok, "duration", c->in);
	}
	for (i = 0; i < sizeof(fmt_cases) / sizeof(fmt_cases[0]); i++) {
		const struct fmt_case *c = &fmt_cases[i];

		inet_pton(c->family, c->addr, raw);
		format_endpoint(c->family, raw, c->port, buf, sizeof(buf));
		result(!strcmp(buf, c->out), "format", c->out);
	}
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
