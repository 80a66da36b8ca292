// SPDX-License-Identifier: GPL-2.0
/*
 * Text and JSON output of mpudpctl (see print.h).
 */
#include <stdarg.h>
#include <string.h>

#include "print.h"

#define MAX_DEPTH 16

static FILE *out;
static bool json, pretty;
static int depth;
/* Whether the container at each depth already holds a member. */
static bool has_member[MAX_DEPTH];

void print_init(FILE *f, bool j, bool p)
{
	out = f;
	json = j;
	pretty = p;
	depth = 0;
	has_member[0] = false;
}

bool print_is_json(void)
{
	return json;
}

static void json_string(const char *s)
{
	const unsigned char *c;

	fputc('"', out);
	for (c = (const unsigned char *)s; *c; c++) {
		switch (*c) {
		case '"':  fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\t': fputs("\\t", out); break;
		case '\r': fputs("\\r", out); break;
		default:
			if (*c < 0x20)
				fprintf(out, "\\u%04x", *c);
			else
				fputc(*c, out);
		}
	}
	fputc('"', out);
}

static void newline_indent(void)
{
	int i;

	if (!pretty)
		return;
	fputc('\n', out);
	for (i = 0; i < depth; i++)
		fputs("    ", out);
}

/* Starts a member of the current container, with its key if any. */
static void json_member(const char *key)
{
	if (depth > 0) {
		if (has_member[depth])
			fputc(',', out);
		has_member[depth] = true;
		newline_indent();
	}
	if (key) {
		json_string(key);
		fputs(pretty ? ": " : ":", out);
	}
}

static void json_open(const char *key, char c)
{
	json_member(key);
	fputc(c, out);
	if (depth + 1 < MAX_DEPTH)
		depth++;
	has_member[depth] = false;
}

static void json_close(char c)
{
	bool had = has_member[depth];

	if (depth > 0)
		depth--;
	if (had)
		newline_indent();
	fputc(c, out);
}

void print_open_obj(const char *key)
{
	if (json)
		json_open(key, '{');
}

void print_close_obj(void)
{
	if (json)
		json_close('}');
}

void print_open_arr(const char *key)
{
	if (json)
		json_open(key, '[');
}

void print_close_arr(void)
{
	if (json)
		json_close(']');
}

void print_uint(enum output o, const char *key, const char *fmt, uint64_t v)
{
	if (json && o != PRINT_TEXT) {
		json_member(key);
		fprintf(out, "%llu", (unsigned long long)v);
	} else if (!json && o != PRINT_JSON) {
		fprintf(out, fmt, (unsigned long long)v);
	}
}

void print_string(enum output o, const char *key, const char *fmt, const char *v)
{
	if (json && o != PRINT_TEXT) {
		json_member(key);
		json_string(v);
	} else if (!json && o != PRINT_JSON) {
		fprintf(out, fmt, v);
	}
}

void print_bool(enum output o, const char *key, const char *fmt, bool v)
{
	if (json && o != PRINT_TEXT) {
		json_member(key);
		fputs(v ? "true" : "false", out);
	} else if (!json && o != PRINT_JSON && v) {
		fputs(fmt, out);
	}
}

void print_text(const char *fmt, ...)
{
	va_list ap;

	if (json)
		return;
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
}

void print_flush(void)
{
	if (json && depth == 0)
		fputc('\n', out);
	fflush(out);
}
