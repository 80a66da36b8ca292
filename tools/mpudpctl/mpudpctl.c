// SPDX-License-Identifier: GPL-2.0
/*
 * mpudpctl: configure and inspect MPUDP tunnels over generic netlink.
 *
 * main() parses the global options and dispatches to the subcommand of each
 * object; with -b it reads commands from a file, one per line.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "nl.h"
#include "print.h"

#define MPUDPCTL_VERSION "0.1.0"
#define MAX_BATCH_ARGS 64

static const struct {
	const char *name;
	int (*main)(int argc, char **argv);
	void (*usage)(void);
} objects[] = {
	{ "tunnel", tunnel_main, tunnel_usage },
	{ "path", path_main, path_usage },
	{ "sched", sched_main, sched_usage },
	{ "monitor", monitor_main, monitor_usage },
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: mpudpctl [ OPTIONS ] OBJECT { COMMAND | help }\n"
		"       mpudpctl [ OPTIONS ] -b FILENAME\n"
		"OBJECT := { tunnel | path | sched | monitor }\n"
		"OPTIONS := { -j[son] | -p[retty] | -s[tatistics] | -n[etns] NAME |\n"
		"             -V[ersion] | -h[elp] }\n"
		"\n"
		"  -j, -json         print JSON\n"
		"  -p, -pretty       indent the JSON\n"
		"  -s, -statistics   show the counters (JSON always has them)\n"
		"  -n, -netns NAME   act in the network namespace NAME (ip netns)\n"
		"  -b, -batch FILE   run the commands in FILE (- for stdin), one per\n"
		"                    line; stop at the first that fails\n"
		"\n"
		"Try \"mpudpctl OBJECT help\"; the manual page is mpudpctl(8).\n");
}

bool show_stats;

void print_duration(const char *key, const char *json_key, uint32_t us)
{
	char buf[64];

	print_uint(PRINT_JSON, json_key, NULL, us);
	if (us >= 1000000 && us % 1000000 == 0)
		snprintf(buf, sizeof(buf), " %s %us", key, us / 1000000);
	else if (us >= 1000 && us % 1000 == 0)
		snprintf(buf, sizeof(buf), " %s %ums", key, us / 1000);
	else if (us >= 1000)
		snprintf(buf, sizeof(buf), " %s %.1fms", key, us / 1000.0);
	else
		snprintf(buf, sizeof(buf), " %s %uus", key, us);
	print_string(PRINT_TEXT, NULL, "%s", buf);
}

int arg_error(const char *fmt, ...)
{
	va_list ap;

	fputs("Error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_ARGS;
}

int invalid_arg(const char *keyword, const char *value, const char *why)
{
	return arg_error("invalid %s \"%s\": %s", keyword, value, why);
}

int missing_value(const char *keyword)
{
	return arg_error("\"%s\" needs a value", keyword);
}

int unknown_arg(const char *object, const char *arg)
{
	return arg_error("unknown argument \"%s\", try \"mpudpctl %s help\"",
			 arg, object);
}

int kernel_error(void)
{
	nl_perror();
	return EXIT_KERNEL;
}

int request(struct nlmsghdr *nlh, mnl_cb_t cb, bool array)
{
	int ret;

	if (array)
		print_open_arr(NULL);
	ret = nl_talk(nlh, cb, NULL);
	if (array)
		print_close_arr();
	print_flush();
	return ret < 0 ? kernel_error() : 0;
}

static int enter_netns(const char *name)
{
	char path[PATH_MAX];
	int fd;

	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return arg_error("cannot open network namespace \"%s\": %s",
				 name, strerror(errno));
	if (setns(fd, CLONE_NEWNET) < 0) {
		close(fd);
		return arg_error("cannot enter network namespace \"%s\": %s",
				 name, strerror(errno));
	}
	close(fd);
	return 0;
}

static int run(int argc, char **argv)
{
	unsigned int i;

	if (argc < 1) {
		usage(stderr);
		return EXIT_ARGS;
	}
	if (!strcmp(argv[0], "help")) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++) {
		if (strcmp(argv[0], objects[i].name))
			continue;
		if (argc > 1 && !strcmp(argv[1], "help")) {
			objects[i].usage();
			return 0;
		}
		if (nl_open() < 0)
			return EXIT_KERNEL;
		return objects[i].main(argc - 1, argv + 1);
	}
	return arg_error("unknown object \"%s\", try \"mpudpctl help\"",
			 argv[0]);
}

/* Splits @line at blanks; # starts a comment. Returns argc, or -1. */
static int split_line(char *line, char **argv)
{
	int argc = 0;
	char *tok;

	line[strcspn(line, "#\n")] = '\0';
	for (tok = strtok(line, " \t\r"); tok; tok = strtok(NULL, " \t\r")) {
		if (argc == MAX_BATCH_ARGS)
			return -1;
		argv[argc++] = tok;
	}
	return argc;
}

static int batch(const char *name)
{
	char *argv[MAX_BATCH_ARGS], *line = NULL;
	unsigned int lineno = 0;
	size_t cap = 0;
	int argc, ret = 0;
	FILE *f;

	f = strcmp(name, "-") ? fopen(name, "r") : stdin;
	if (!f)
		return arg_error("cannot open \"%s\": %s", name, strerror(errno));
	while (getline(&line, &cap, f) > 0) {
		lineno++;
		argc = split_line(line, argv);
		if (argc == 0)
			continue;
		ret = argc < 0 ? arg_error("too many arguments") : run(argc, argv);
		if (ret) {
			fprintf(stderr, "Command failed %s:%u\n", name, lineno);
			break;
		}
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return ret;
}

static bool is_opt(const char *arg, const char *s, const char *l)
{
	return !strcmp(arg, s) || !strcmp(arg, l) ||
	       (arg[0] == '-' && !strcmp(arg + 1, l));
}

int main(int argc, char **argv)
{
	const char *netns = NULL, *batch_file = NULL;
	bool json = false, pretty = false;
	int ret;

	for (argc--, argv++; argc > 0 && argv[0][0] == '-'; argc--, argv++) {
		if (is_opt(argv[0], "-j", "-json")) {
			json = true;
		} else if (is_opt(argv[0], "-p", "-pretty")) {
			pretty = true;
		} else if (is_opt(argv[0], "-s", "-statistics")) {
			show_stats = true;
		} else if (is_opt(argv[0], "-n", "-netns")) {
			if (argc < 2)
				return missing_value(argv[0]);
			netns = *++argv;
			argc--;
		} else if (is_opt(argv[0], "-b", "-batch")) {
			if (argc < 2)
				return missing_value(argv[0]);
			batch_file = *++argv;
			argc--;
		} else if (is_opt(argv[0], "-V", "-version")) {
			printf("mpudpctl %s\n", MPUDPCTL_VERSION);
			return 0;
		} else if (is_opt(argv[0], "-h", "-help")) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "Error: unknown option \"%s\"\n", argv[0]);
			usage(stderr);
			return EXIT_ARGS;
		}
	}
	if (!batch_file && argc < 1) {
		usage(stderr);
		return EXIT_ARGS;
	}
	if (netns && enter_netns(netns))
		return EXIT_ARGS;
	print_init(stdout, json, pretty);
	ret = batch_file ? batch(batch_file) : run(argc, argv);
	nl_close();
	return ret;
}
