// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness of mpudpctl's value parsers: `make fuzz_parse` (clang),
 * then ./fuzz_parse. Whatever the input, the parsers must not crash, read out
 * of bounds or accept what they cannot print back.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), buf[80];
	struct endpoint ep;
	uint64_t bps, again;
	uint32_t v;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (!parse_endpoint(s, PORT_OPTIONAL, &ep))
		format_endpoint(ep.family, &ep.addr, ep.port, buf, sizeof(buf));
	parse_endpoint(s, PORT_REQUIRED, &ep);
	parse_endpoint(s, PORT_NONE, &ep);
	parse_u32(s, 0, UINT32_MAX, &v);
	if (!parse_rate(s, &bps)) {
		format_rate(bps, buf, sizeof(buf));
		if (parse_rate(buf, &again) || again != bps) {
			fprintf(stderr, "rate %llu prints as \"%s\"\n",
				(unsigned long long)bps, buf);
			abort();
		}
	}
	free(s);
	return 0;
}
