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

#define NOT_A_RATE "not a rate (NUMBER[bit|kbit|mbit|gbit|tbit])"

struct rate_case {
	const char *in;
	const char *err;
	uint64_t bps;
};

static const struct rate_case rate_cases[] = {
	{ "2000000", NULL, 2000000 },
	{ "0", NULL, 0 },
	{ "8000bit", NULL, 8000 },
	{ "500kbit", NULL, 500000 },
	{ "10mbit", NULL, 10000000 },
	{ "10Mbit", NULL, 10000000 },
	{ "10MBIT", NULL, 10000000 },
	{ "1gbit", NULL, 1000000000 },
	{ "2tbit", NULL, 2000000000000ULL },
	{ "1kibit", NULL, 1024 },
	{ "1mibit", NULL, 1048576 },
	{ "3gibit", NULL, 3221225472ULL },
	{ "1tibit", NULL, 1099511627776ULL },
	{ "1.5mbit", NULL, 1500000 },
	{ "0.5kbit", NULL, 500 },
	{ "2.000kbit", NULL, 2000 },
	{ "1.5kibit", NULL, 1536 },
	{ "0.0009765625kibit", NULL, 1 },
	{ "007mbit", NULL, 7000000 },
	{ "18446744073709551615", NULL, UINT64_MAX },
	{ "18446744073709551.615kbit", NULL, UINT64_MAX },
	{ "18446744073709551616", "out of range", 0 },
	{ "18446744073709552kbit", "out of range", 0 },
	{ "18446745tbit", "out of range", 0 },
	{ "99999999999999999999999999999999999999999", "out of range", 0 },
	{ "1.5", "not a whole number of bit/s", 0 },
	{ "0.0001kbit", "not a whole number of bit/s", 0 },
	{ "0.3kibit", "not a whole number of bit/s", 0 },
	{ "1.00000000000000000001mbit", "too many digits after the point", 0 },
	{ "1.10000000000000000000mbit", NULL, 1100000 },
	{ "10mbps", NOT_A_RATE, 0 },
	{ "10bps", NOT_A_RATE, 0 },
	{ "10mb", NOT_A_RATE, 0 },
	{ "10 mbit", NOT_A_RATE, 0 },
	{ "mbit", NOT_A_RATE, 0 },
	{ "none", NOT_A_RATE, 0 },
	{ "-1", NOT_A_RATE, 0 },
	{ "+1", NOT_A_RATE, 0 },
	{ " 1", NOT_A_RATE, 0 },
	{ ".5mbit", NOT_A_RATE, 0 },
	{ "5.mbit", NOT_A_RATE, 0 },
	{ "1e6", NOT_A_RATE, 0 },
	{ "0x10", NOT_A_RATE, 0 },
	{ "1,5mbit", NOT_A_RATE, 0 },
	{ "", NOT_A_RATE, 0 },
};

struct rate_fmt_case {
	uint64_t bps;
	const char *out;
};

static const struct rate_fmt_case rate_fmt_cases[] = {
	{ 10000000, "10Mbit" },
	{ 1500000, "1500Kbit" },
	{ 8000, "8Kbit" },
	{ 1000000000, "1Gbit" },
	{ 3000000000000ULL, "3Tbit" },
	{ 1024, "1024bit" },
	{ 1234567, "1234567bit" },
	{ 0, "0bit" },
	{ UINT64_MAX, "18446744073709551615bit" },
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
	uint64_t bps;
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
	for (i = 0; i < sizeof(rate_cases) / sizeof(rate_cases[0]); i++) {
		const struct rate_case *c = &rate_cases[i];

		bps = 12345;
		err = parse_rate(c->in, &bps);
		ok = same_err(err, c->err) && (err ? bps == 12345 : bps == c->bps);
		if (!ok)
			printf("# got \"%s\", %llu\n", err ? err : "(parsed)",
			       (unsigned long long)bps);
		result(ok, "rate", c->in);
	}
	for (i = 0; i < sizeof(rate_fmt_cases) / sizeof(rate_fmt_cases[0]); i++) {
		const struct rate_fmt_case *c = &rate_fmt_cases[i];

		format_rate(c->bps, buf, sizeof(buf));
		ok = !strcmp(buf, c->out) && !parse_rate(buf, &bps) && bps == c->bps;
		result(ok, "rate format", c->out);
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
