/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MPUDP header on the wire (Documentation/mpudp-wire.rst explains it).
 *
 * It sits between the UDP header and the VPN's payload, in place: the outer
 * IP and UDP headers are the path's, and no second IP/UDP header is added.
 * At 20 bytes it fits in the slack a WireGuard packet (MTU 1420) leaves on a
 * 1500-byte IPv4 path.
 */
#ifndef _MPUDP_PROTO_H
#define _MPUDP_PROTO_H

#include <linux/build_bug.h>
#include <linux/types.h>

/*
 * First byte: magic in the high nibble, version in the low one. Neither
 * WireGuard (message types 1 to 4) nor OpenVPN (opcode << 3 | key id, at most
 * 0x57) starts a packet with 0xb_, so a plain VPN packet on the primary
 * 4-tuple is never taken for MPUDP.
 */
#define MPUDP_MAGIC		0xb0
#define MPUDP_MAGIC_MASK	0xf0
#define MPUDP_VERSION		1

/*
 * Second byte: the type in the low nibble; in the high one how many tunnel
 * sequence numbers back the previous data datagram on the same path is
 * (1 to 15; 0: not known, further back, or sent on several paths; always 0
 * in a probe). When a data datagram shows a hole in its path's sequence and
 * that previous one has not come, the path lost (or reordered) it: the
 * receiver gives it up after a short grace time. Not probes: the monitor's timer sends them,
 * maybe on another CPU, so one can leave before a data datagram that took
 * its path sequence number first.
 */
#define MPUDP_TYPE_MASK		0x0f
#define MPUDP_PREV_SHIFT	4
#define MPUDP_PREV_MAX		15

enum mpudp_type {
	MPUDP_TYPE_DATA = 1,	/* carries one VPN datagram */
	MPUDP_TYPE_PROBE,	/* struct mpudp_probe: path monitor */
	MPUDP_TYPE_FEC,		/* parity of a group: struct mpudp_fec */
};

/*
 * Forward error correction: the data datagrams of the tunnel form groups of
 * @k sequence numbers, interleaved @depth deep: a block of @k x @depth
 * consecutive sequence numbers, the first a multiple of @k x @depth, holds
 * @depth groups, and group j of it has the block's j-th, (j + @depth)-th,
 * (j + 2 @depth)-th... sequence number. A parity datagram carries the XOR
 * of the VPN payloads of the first @count of a group (each padded with zeros
 * to the longest) as its payload, and the XOR of their lengths: a receiver
 * that has all of them but one rebuilds that one. Interleaving spreads a
 * burst of losses on one path over several groups. The parity is as long as
 * the longest of them, and so is the datagram: it fits wherever they do.
 */
#define MPUDP_FEC_MAX_K		32
#define MPUDP_FEC_MAX_DEPTH	32
/* Longest VPN payload a group takes: a 1500-byte IPv4 path's, less UDP. */
#define MPUDP_FEC_MAX_LEN	1472
/* struct mpudp_fec's @len_depth: the lengths (< 2048) and depth - 1 above. */
#define MPUDP_FEC_LEN_MASK	0x07ff
#define MPUDP_FEC_DEPTH_SHIFT	11

/**
 * struct mpudp_fec - what a parity datagram's header has in place of the echo
 * @k: the group size, 1 to MPUDP_FEC_MAX_K
 * @count: the data datagrams the parity covers: the header's @seq (the
 *	group's first, less than @depth past a multiple of @k x @depth) and
 *	every @depth-th after it, @count in all; 1 to @k (less than @k when
 *	the sender flushed a group that traffic left open)
 * @len_depth: the XOR of their payload lengths in the low 11 bits
 *	(MPUDP_FEC_LEN_MASK); the interleaving depth less 1 (0 to 31) above
 *	(MPUDP_FEC_DEPTH_SHIFT)
 */
struct mpudp_fec {
	u8 k;
	u8 count;
	__be16 len_depth;
} __packed;

/**
 * struct mpudp_hdr - the MPUDP header, all fields in network byte order
 * @magic_ver: MPUDP_MAGIC | MPUDP_VERSION
 * @type_prev: enum mpudp_type | prev << MPUDP_PREV_SHIFT (above)
 * @path_id: id of the path in the sender's tunnel
 * @hdr_len: length of the header in 4-byte words; a receiver skips words it
 *	does not know, so later versions can append fields
 * @seq: tunnel sequence number: orders the datagrams of the tunnel
 * @path_seq: per-path sequence number: a gap is a loss on that path
 * @tag: low 16 bits of a hash of the tunnel's 4-tuple, the same on both
 *	ends; a datagram for another tunnel is refused
 * @tstamp: the sender's clock, in microseconds, when the datagram was sent
 * @echo: the last @tstamp the sender received on this path, plus the time
 *	it has held it since: the peer's RTT sample is now - @echo. 0: none.
 * @fec: in a parity datagram (MPUDP_TYPE_FEC), in place of @echo
 */
struct mpudp_hdr {
	u8 magic_ver;
	u8 type_prev;
	u8 path_id;
	u8 hdr_len;
	__be32 seq;
	__be16 path_seq;
	__be16 tag;
	__be32 tstamp;
	union {
		__be32 echo;
		struct mpudp_fec fec;
	};
} __packed;

#define MPUDP_HLEN	sizeof(struct mpudp_hdr)

static inline u8 mpudp_hdr_type(const struct mpudp_hdr *h)
{
	return h->type_prev & MPUDP_TYPE_MASK;
}

static inline u32 mpudp_hdr_prev(const struct mpudp_hdr *h)
{
	return h->type_prev >> MPUDP_PREV_SHIFT;
}

static_assert(sizeof(struct mpudp_hdr) == 20);
static_assert(sizeof(struct mpudp_fec) == 4);
static_assert(MPUDP_FEC_MAX_LEN <= MPUDP_FEC_LEN_MASK);

/**
 * struct mpudp_report - what a host hears of one path, in a probe to its peer
 * @path_id: the path, by the id the peer puts in its headers
 * @reserved: 0
 * @next_path_seq: the path sequence number expected next
 * @packets: datagrams (data and probes) received on the path, mod 2^32
 * @bytes: their IP bytes, mod 2^32
 * @silence: microseconds since the last one arrived
 * @transit_min: the lowest transit time lately (arrival minus send time, us,
 *	with the unknown offset of the two clocks): only differences between
 *	paths mean something
 * @queue: the smoothed transit time above @transit_min, us
 */
struct mpudp_report {
	u8 path_id;
	u8 reserved;
	__be16 next_path_seq;
	__be32 packets;
	__be32 bytes;
	__be32 silence;
	__be32 transit_min;
	__be32 queue;
} __packed;

/**
 * struct mpudp_probe - body of a MPUDP_TYPE_PROBE datagram, after the header
 * @interval: the sender's probe interval now, in milliseconds
 * @n_reports: number of struct mpudp_report after this struct
 * @auth_len: length of the authentication tag after the reports; 0 (no
 *	authentication yet; a receiver skips the tag)
 * @reserved: 0
 *
 * In a probe, the header's @seq is the tunnel sequence number the sender
 * assigns next: every data datagram before it that went on this path went
 * before the probe.
 */
struct mpudp_probe {
	__be16 interval;
	u8 n_reports;
	u8 auth_len;
	__be32 reserved;
	struct mpudp_report reports[];
} __packed;

static_assert(sizeof(struct mpudp_report) == 24);
static_assert(sizeof(struct mpudp_probe) == 8);

#endif /* _MPUDP_PROTO_H */
