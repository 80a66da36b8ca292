/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One call per field serves both outputs, as in iproute2: in text mode the
 * format is printed, in JSON mode the key and the value. -j only switches the
 * writer, so text and JSON cannot drift apart.
 */
#ifndef MPUDPCTL_PRINT_H
#define MPUDPCTL_PRINT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum output { PRINT_ANY, PRINT_TEXT, PRINT_JSON };

void print_init(FILE *out, bool json, bool pretty);
bool print_is_json(void);

/* Containers. A NULL key opens an anonymous member (of an array). */
void print_open_obj(const char *key);
void print_close_obj(void);
void print_open_arr(const char *key);
void print_close_arr(void);

void print_uint(enum output o, const char *key, const char *fmt, uint64_t v);
void print_string(enum output o, const char *key, const char *fmt, const char *v);
void print_bool(enum output o, const char *key, const char *fmt, bool v);
/* Text only. */
void print_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Ends a top-level value: a newline in JSON mode. */
void print_flush(void);

#endif
