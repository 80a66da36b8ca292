/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the subcommands of mpudpctl share: entry points, exit statuses and the
 * argument error reports.
 */
#ifndef MPUDPCTL_CMD_H
#define MPUDPCTL_CMD_H

#include <stdbool.h>
#include <stdint.h>

#include <libmnl/libmnl.h>

#include "parse.h"

/* Exit statuses (documented in mpudpctl.8). */
#define EXIT_ARGS	1	/* bad command line */
#define EXIT_KERNEL	2	/* the kernel refused or failed the request */

int tunnel_main(int argc, char **argv);
int path_main(int argc, char **argv);
int sched_main(int argc, char **argv);
int monitor_main(int argc, char **argv);

void tunnel_usage(void);
void path_usage(void);
void sched_usage(void);
void monitor_usage(void);

/* Each prints "Error: ..." on stderr and returns EXIT_ARGS. */
int arg_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int invalid_arg(const char *keyword, const char *value, const char *why);
int missing_value(const char *keyword);
int unknown_arg(const char *object, const char *arg);

/* Reports the kernel's error for the last request; returns EXIT_KERNEL. */
int kernel_error(void);

/*
 * Sends @nlh, prints every reply with @cb (an array of them when @array) and
 * returns 0 or, having reported the kernel's error, EXIT_KERNEL.
 */
int request(struct nlmsghdr *nlh, mnl_cb_t cb, bool array);

/* Prints one end (address and port attributes) of a tunnel or path. */
void print_endpoint(const char *key, const struct nlattr *a4,
		    const struct nlattr *a6, const struct nlattr *port);

/* -s: show the counters in text output (JSON always has them). */
extern bool show_stats;

/* Prints a duration given in microseconds, "KEY 1.5ms" style, in text. */
void print_duration(const char *key, const char *json_key, uint32_t us);

/* Prints a u32 or u64 counter, in text only with -s. */
void print_counter(const struct nlattr *a, const char *key, const char *label);

/* Names of enum mpudp_tunnel_state and enum mpudp_path_state values. */
const char *tunnel_state_name(uint32_t state);
const char *path_state_name(uint32_t state);

/* Prints a path nest of a reply; @with_tunnel prints its tunnel id too. */
void print_path(const struct nlattr *nest, bool with_tunnel);

#endif
