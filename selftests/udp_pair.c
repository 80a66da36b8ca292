// SPDX-License-Identifier: GPL-2.0
/*
 * udp_pair: numbered UDP datagrams, to check what a tunnel delivers.
 *
 *   udp_pair send LOCAL REMOTE COUNT SIZE [PPS]
 *	sends COUNT datagrams of SIZE bytes from LOCAL to REMOTE (ADDR:PORT or
 *	[ADDR6]:PORT), numbered from 0, at PPS datagrams per second (default:
 *	as fast as the socket takes them). SIZE MIN-MAX: each datagram has a
 *	length between MIN and MAX that depends on its number, and says it.
 *   udp_pair recv LOCAL COUNT IDLE_MS [FILE]
 *	receives until COUNT different datagrams arrived or none came for
 *	IDLE_MS (60 s for the first one), then prints one JSON object: received, unique, duplicates,
 *	out_of_order (arrived after a higher number), bad (not ours or corrupt),
 *	max (highest number) and missing (up to 64 missing numbers below max).
 *	Writes the numbers in arrival order to FILE when given.
 *
 * Every datagram carries its number and a pattern that depends on it, so
 * corruption is seen as "bad".
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAGIC 0x4d505544u
/* The datagram's length follows, in the first two bytes of fill. */
#define MAGIC_SIZED 0x4d505556u
#define MAX_SIZE 65000

struct dgram {
	uint32_t magic;
	uint32_t seq;
	uint8_t fill[];
};

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static int parse_addr(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	char buf[128], *port;

	snprintf(buf, sizeof(buf), "%s", s);
	port = strrchr(buf, ':');
	if (!port)
		return -1;
	*port++ = '\0';
	memset(ss, 0, sizeof(*ss));
	if (buf[0] == '[') {
		buf[strlen(buf) - 1] = '\0';
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(atoi(port));
		*len = sizeof(*s6);
		return inet_pton(AF_INET6, buf + 1, &s6->sin6_addr) == 1 ? 0 : -1;
	}
	s4->sin_family = AF_INET;
	s4->sin_port = htons(atoi(port));
	*len = sizeof(*s4);
	return inet_pton(AF_INET, buf, &s4->sin_addr) == 1 ? 0 : -1;
}

static int bound_socket(const char *local)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, one = 1, size = 4 << 20;

	if (parse_addr(local, &ss, &len))
		die("address");
	fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/*
	 * Past net.core.[rw]mem_max where allowed (root): a burst sent as fast
	 * as possible must not overflow the receiver's socket.
	 */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	if (bind(fd, (struct sockaddr *)&ss, len))
		die("bind");
	return fd;
}

static uint8_t pattern(uint32_t seq, size_t i)
{
	return (uint8_t)(seq * 31 + i);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int do_send(int argc, char **argv)
{
	uint32_t count, size, max_size, seq;
	struct sockaddr_storage to;
	char *dash;
	struct timespec ts;
	struct dgram *d;
	uint64_t start, gap = 0, t;
	socklen_t len;
	size_t i;
	int fd;

	if (argc < 4)
		return 2;
	fd = bound_socket(argv[0]);
	if (parse_addr(argv[1], &to, &len))
		die("remote");
	count = strtoul(argv[2], NULL, 0);
	size = strtoul(argv[3], &dash, 0);
	max_size = *dash == '-' ? strtoul(dash + 1, NULL, 0) : size;
	if (size < sizeof(*d) + (max_size != size) * 2 || max_size < size ||
	    max_size > MAX_SIZE)
		return 2;
	if (argc > 4 && atoi(argv[4]) > 0)
		gap = 1000000000ull / atoi(argv[4]);
	d = malloc(max_size);
	if (!d)
		die("malloc");
	start = now_ns();
	for (seq = 0; seq < count; seq++) {
		uint32_t n = size + (uint32_t)(seq * 7919ull % (max_size - size + 1));

		d->magic = htonl(max_size == size ? MAGIC : MAGIC_SIZED);
		d->seq = htonl(seq);
		for (i = 0; i < n - sizeof(*d); i++)
			d->fill[i] = pattern(seq, i);
		if (max_size != size) {
			d->fill[0] = n >> 8;
			d->fill[1] = n;
		}
		while (sendto(fd, d, n, 0, (struct sockaddr *)&to, len) < 0) {
			if (errno != ENOBUFS && errno != EAGAIN && errno != ECONNREFUSED)
				die("sendto");
			usleep(1000);
		}
		if (gap) {
			t = start + gap * (seq + 1);
			ts.tv_sec = t / 1000000000ull;
			ts.tv_nsec = t % 1000000000ull;
			clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
		}
	}
	free(d);
	return 0;
}

static int do_recv(int argc, char **argv)
{
	uint64_t received = 0, unique = 0, dups = 0, ooo = 0, bad = 0;
	uint32_t count, idle, seq, max = 0, nmissing = 0;
	unsigned char *seen;
	struct dgram *d;
	FILE *log = NULL;
	struct pollfd pfd;
	bool any = false;
	ssize_t n;
	size_t i;
	int fd;

	if (argc < 3)
		return 2;
	fd = bound_socket(argv[0]);
	count = strtoul(argv[1], NULL, 0);
	idle = strtoul(argv[2], NULL, 0);
	if (argc > 3) {
		log = fopen(argv[3], "w");
		if (!log)
			die("log");
	}
	seen = calloc(count, 1);
	d = malloc(MAX_SIZE);
	if (!seen || !d)
		die("malloc");
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (unique < count) {
		if (poll(&pfd, 1, received ? (int)idle : 60000) <= 0)
			break;
		n = recv(fd, d, MAX_SIZE, 0);
		if (n < 0)
			die("recv");
		received++;
		if ((size_t)n < sizeof(*d) ||
		    (ntohl(d->magic) != MAGIC &&
		     (ntohl(d->magic) != MAGIC_SIZED || (size_t)n < sizeof(*d) + 2)) ||
		    ntohl(d->seq) >= count) {
			bad++;
			continue;
		}
		seq = ntohl(d->seq);
		i = 0;
		if (ntohl(d->magic) == MAGIC_SIZED) {
			if ((d->fill[0] << 8 | d->fill[1]) != n) {
				bad++;
				continue;
			}
			i = 2;
		}
		for (; i < n - sizeof(*d); i++)
			if (d->fill[i] != pattern(seq, i))
				break;
		if (i != n - sizeof(*d)) {
			bad++;
			continue;
		}
		if (log)
			fprintf(log, "%u\n", seq);
		if (seen[seq]) {
			dups++;
			continue;
		}
		seen[seq] = 1;
		unique++;
		if (any && seq < max)
			ooo++;
		if (!any || seq > max)
			max = seq;
		any = true;
	}
	printf("{\"received\":%llu,\"unique\":%llu,\"duplicates\":%llu,"
	       "\"out_of_order\":%llu,\"bad\":%llu,\"max\":%u,\"missing\":[",
	       (unsigned long long)received, (unsigned long long)unique,
	       (unsigned long long)dups, (unsigned long long)ooo,
	       (unsigned long long)bad, max);
	for (seq = 0; any && seq < max && nmissing < 64; seq++) {
		if (!seen[seq])
			printf("%s%u", nmissing++ ? "," : "", seq);
	}
	printf("]}\n");
	if (log)
		fclose(log);
	return 0;
}

int main(int argc, char **argv)
{
	int ret = 2;

	if (argc > 1 && !strcmp(argv[1], "send"))
		ret = do_send(argc - 2, argv + 2);
	else if (argc > 1 && !strcmp(argv[1], "recv"))
		ret = do_recv(argc - 2, argv + 2);
	if (ret == 2)
		fprintf(stderr, "usage: udp_pair send LOCAL REMOTE COUNT SIZE[-MAX] [PPS]\n"
				"       udp_pair recv LOCAL COUNT IDLE_MS [FILE]\n");
	return ret;
}
