/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * MPUDP: multipath transport for the UDP tunnel of an unmodified VPN.
 *
 * This header is the generic netlink API of the "mpudp" family. Its source of
 * truth is Documentation/netlink/specs/mpudp.yaml; selftests/uapi_spec.py
 * checks that every name and value below matches the spec. Numbering is
 * append-only: never renumber or reuse a value.
 *
 * Objects
 * -------
 * A tunnel is the VPN's primary UDP 4-tuple as this host sees it: local
 * address and port (the VPN socket's) and remote address and port (the peer's
 * configured endpoint). It has a scheduler, which chooses the path of each
 * packet, and up to MPUDP_MAX_PATHS paths. Tunnels live in a network namespace
 * and are identified there by a kernel-chosen id (1 and up).
 *
 * A path belongs to a tunnel and is identified inside it by a kernel-chosen id
 * (1 to MPUDP_MAX_PATHS). It has a remote address (and port, by default the
 * tunnel's), a local address and/or an output device, a weight (the split
 * ratio for the "weighted" scheduler), flags (MPUDP_PATH_F_*) and a rate cap.
 * Its address family is the tunnel's.
 *
 * Every attribute of an object is a member of a nest: MPUDP_A_TUNNEL holds the
 * enum mpudp_a_tunnel attributes, MPUDP_A_PATH the enum mpudp_a_path ones and
 * MPUDP_A_SCHED the enum mpudp_a_sched ones. Addresses and ports are in
 * network byte order.
 *
 * Commands
 * --------
 * Changes (NEW, DEL, SET) need CAP_NET_ADMIN in the user namespace that owns
 * the network namespace. Invalid requests fail with an errno and an extended
 * ACK message naming the problem; a failed request changes nothing.
 *
 * MPUDP_CMD_TUNNEL_NEW
 *	MPUDP_A_TUNNEL: { LOCAL_IPV4 or LOCAL_IPV6, LOCAL_PORT,
 *			  REMOTE_IPV4 or REMOTE_IPV6, REMOTE_PORT, [SCHED],
 *			  [MAX_HOLD], [FEC] }
 *	Both addresses must be of one family. SCHED defaults to "edpf",
 *	MAX_HOLD (the longest a missing datagram holds back those behind it,
 *	in microseconds; 0 releases them at once) to 100000, FEC (forward
 *	error correction: one parity datagram per FEC datagrams sent, which
 *	lets the peer rebuild one of them that was lost; 1 to
 *	MPUDP_FEC_MAX, or MPUDP_FEC_AUTO: a group size that follows the
 *	paths' loss, none without loss) to 0, off. The receiving end needs no
 *	setting.
 *	Replies with MPUDP_CMD_TUNNEL_NEW carrying the tunnel as TUNNEL_GET does.
 *	-EEXIST if a tunnel with the same 4-tuple exists.
 *
 * MPUDP_CMD_TUNNEL_DEL
 *	MPUDP_A_TUNNEL: { ID }. Deletes the tunnel and its paths.
 *
 * MPUDP_CMD_TUNNEL_SET
 *	MPUDP_A_TUNNEL: { ID, [SCHED], [MAX_HOLD], [FEC] }.
 *
 * MPUDP_CMD_TUNNEL_GET
 *	do:   MPUDP_A_TUNNEL: { ID }
 *	dump: no attributes; one message per tunnel, in id order. A dump that
 *	      overlapped a change is flagged NLM_F_DUMP_INTR.
 *	Reply: MPUDP_A_TUNNEL: { ID, the addresses and ports, SCHED, MAX_HOLD,
 *	       FEC, FEC_NOW, TAG, STATE, PROBE_INTERVAL, STATS, PATH (one nest per path,
 *	       enum mpudp_a_path) }
 *
 * MPUDP_CMD_PATH_NEW
 *	MPUDP_A_PATH: { TUNNEL_ID, REMOTE_IPV4 or REMOTE_IPV6, [REMOTE_PORT],
 *			LOCAL_IPV4 or LOCAL_IPV6 and/or IFINDEX, [LOCAL_PORT],
 *			[WEIGHT], [FLAGS], [RATE_CAP] }
 *	LOCAL_PORT and REMOTE_PORT default to the tunnel's, WEIGHT to 1,
 *	RATE_CAP to 0. RATE_CAP, in bit/s, is the most the "edpf" and "minrtt"
 *	schedulers give the path while another path can take the traffic
 *	(Documentation/mpudp.rst says when it yields); the other schedulers
 *	ignore it. 0 sets no cap; otherwise it is at least MPUDP_RATE_CAP_MIN
 *	(-ERANGE).
 *	Replies with MPUDP_CMD_PATH_NEW carrying the path as PATH_GET does.
 *
 * MPUDP_CMD_PATH_DEL
 *	MPUDP_A_PATH: { TUNNEL_ID, ID }
 *
 * MPUDP_CMD_PATH_SET
 *	MPUDP_A_PATH: { TUNNEL_ID, ID, [WEIGHT], [FLAGS], [RATE_CAP] }
 *	At least one of WEIGHT, FLAGS and RATE_CAP; RATE_CAP 0 removes the cap.
 *
 * MPUDP_CMD_PATH_GET
 *	do:   MPUDP_A_PATH: { TUNNEL_ID, ID }
 *	dump: [MPUDP_A_PATH: { TUNNEL_ID }]: the paths of one tunnel or of all.
 *	Reply: MPUDP_A_PATH: { TUNNEL_ID, ID, addresses, ports, [IFINDEX],
 *	       WEIGHT, FLAGS, RATE_CAP (always; 0: no cap), STATE, STATS }
 *
 * MPUDP_CMD_SCHED_GET
 *	dump only: one message per registered scheduler, MPUDP_A_SCHED: { NAME }.
 *
 * MPUDP_CMD_STATE
 *	notification only, to the MPUDP_MCGRP_MONITOR group: a tunnel or a path
 *	changed state. MPUDP_A_TUNNEL: { ID, STATE } or
 *	MPUDP_A_PATH: { TUNNEL_ID, ID, STATE }.
 */
#ifndef _UAPI_LINUX_MPUDP_H
#define _UAPI_LINUX_MPUDP_H

#define MPUDP_GENL_NAME		"mpudp"
#define MPUDP_GENL_VERSION	1

/* Most paths one tunnel can have. */
#define MPUDP_MAX_PATHS		16
/* Longest scheduler name, including the terminating NUL. */
#define MPUDP_SCHED_NAME_MAX	16
/* Range of a path's weight. */
#define MPUDP_WEIGHT_MIN	1
#define MPUDP_WEIGHT_MAX	1000
/* Largest MPUDP_A_TUNNEL_MAX_HOLD, us. */
#define MPUDP_MAX_HOLD_LIMIT	1000000
/* Largest MPUDP_A_TUNNEL_FEC: datagrams per parity datagram. */
#define MPUDP_FEC_MAX		32
/* MPUDP_A_TUNNEL_FEC: the group size follows the paths' loss. */
#define MPUDP_FEC_AUTO		255
/* Smallest MPUDP_A_PATH_RATE_CAP other than 0 (no cap), bit/s. */
#define MPUDP_RATE_CAP_MIN	8000

/* The multicast group of MPUDP_CMD_STATE notifications. */
#define MPUDP_MCGRP_MONITOR	"monitor"

/**
 * enum mpudp_tunnel_state - state of a tunnel (MPUDP_A_TUNNEL_STATE)
 * @MPUDP_TUNNEL_STATE_PROBING: the peer has never answered; the VPN's
 *	datagrams go plain on the primary 4-tuple
 * @MPUDP_TUNNEL_STATE_ACTIVE: some path carries the VPN's datagrams
 * @MPUDP_TUNNEL_STATE_FALLBACK: the peer answered once, but no path works
 *	now; the VPN's datagrams go plain on the primary 4-tuple
 */
enum mpudp_tunnel_state {
	MPUDP_TUNNEL_STATE_PROBING,
	MPUDP_TUNNEL_STATE_ACTIVE,
	MPUDP_TUNNEL_STATE_FALLBACK,
};

/**
 * enum mpudp_path_state - state of a path as a sender sees it
 *	(MPUDP_A_PATH_STATE); Documentation/mpudp.rst gives the timings
 * @MPUDP_PATH_STATE_PROBING: the peer has not (yet, or not again for long
 *	enough) reported hearing the path; it carries no data
 * @MPUDP_PATH_STATE_ACTIVE: the peer hears the path; it carries data
 * @MPUDP_PATH_STATE_SUSPECT: the peer has not heard the path for a few probe
 *	intervals; it carries data only when no path is active
 * @MPUDP_PATH_STATE_FAILED: not heard for longer, or its device is down; it
 *	carries no data and must prove stable before it is active again
 */
enum mpudp_path_state {
	MPUDP_PATH_STATE_PROBING,
	MPUDP_PATH_STATE_ACTIVE,
	MPUDP_PATH_STATE_SUSPECT,
	MPUDP_PATH_STATE_FAILED,
};

/**
 * enum mpudp_path_flags - flags of a path (MPUDP_A_PATH_FLAGS)
 * @MPUDP_PATH_F_BACKUP: carries data only when no non-backup path is usable
 */
enum mpudp_path_flags {
	MPUDP_PATH_F_BACKUP = 1 << 0,
};

enum mpudp_cmd {
	MPUDP_CMD_UNSPEC,
	MPUDP_CMD_TUNNEL_NEW,
	MPUDP_CMD_TUNNEL_DEL,
	MPUDP_CMD_TUNNEL_GET,
	MPUDP_CMD_TUNNEL_SET,
	MPUDP_CMD_PATH_NEW,
	MPUDP_CMD_PATH_DEL,
	MPUDP_CMD_PATH_GET,
	MPUDP_CMD_PATH_SET,
	MPUDP_CMD_SCHED_GET,
	MPUDP_CMD_STATE,

	__MPUDP_CMD_MAX,
	MPUDP_CMD_MAX = __MPUDP_CMD_MAX - 1
};

/* Top-level attributes: one nest per object. */
enum mpudp_a {
	MPUDP_A_TUNNEL = 1,	/* nest, enum mpudp_a_tunnel */
	MPUDP_A_PATH,		/* nest, enum mpudp_a_path */
	MPUDP_A_SCHED,		/* nest, enum mpudp_a_sched */

	__MPUDP_A_MAX,
	MPUDP_A_MAX = __MPUDP_A_MAX - 1
};

enum mpudp_a_tunnel {
	MPUDP_A_TUNNEL_ID = 1,		/* u32 */
	MPUDP_A_TUNNEL_LOCAL_IPV4,	/* be32 */
	MPUDP_A_TUNNEL_LOCAL_IPV6,	/* binary, 16 bytes */
	MPUDP_A_TUNNEL_LOCAL_PORT,	/* be16, not 0 */
	MPUDP_A_TUNNEL_REMOTE_IPV4,	/* be32 */
	MPUDP_A_TUNNEL_REMOTE_IPV6,	/* binary, 16 bytes */
	MPUDP_A_TUNNEL_REMOTE_PORT,	/* be16, not 0 */
	MPUDP_A_TUNNEL_SCHED,		/* string, < MPUDP_SCHED_NAME_MAX */
	MPUDP_A_TUNNEL_PATH,		/* nest, enum mpudp_a_path; multi-attr */
	MPUDP_A_TUNNEL_MAX_HOLD,	/* u32, us, 0 to MPUDP_MAX_HOLD_LIMIT */
	MPUDP_A_TUNNEL_STATS,		/* nest, enum mpudp_a_tunnel_stats */
	MPUDP_A_TUNNEL_TAG,		/* be16, read-only: the header's tag */
	MPUDP_A_TUNNEL_PAD,		/* padding for 64-bit attributes */
	MPUDP_A_TUNNEL_STATE,		/* u32, read-only: enum mpudp_tunnel_state */
	MPUDP_A_TUNNEL_PROBE_INTERVAL,	/* u32, read-only: probe interval now, us */
	MPUDP_A_TUNNEL_FEC,		/* u32, 0 (off) to MPUDP_FEC_MAX, or MPUDP_FEC_AUTO */
	MPUDP_A_TUNNEL_FEC_NOW,		/* u32, read-only: the group size in use, 0: none */

	__MPUDP_A_TUNNEL_MAX,
	MPUDP_A_TUNNEL_MAX = __MPUDP_A_TUNNEL_MAX - 1
};

enum mpudp_a_path {
	MPUDP_A_PATH_ID = 1,		/* u32, 1 to MPUDP_MAX_PATHS */
	MPUDP_A_PATH_TUNNEL_ID,		/* u32 */
	MPUDP_A_PATH_IFINDEX,		/* u32, output device */
	MPUDP_A_PATH_LOCAL_IPV4,	/* be32 */
	MPUDP_A_PATH_LOCAL_IPV6,	/* binary, 16 bytes */
	MPUDP_A_PATH_LOCAL_PORT,	/* be16, not 0 */
	MPUDP_A_PATH_REMOTE_IPV4,	/* be32 */
	MPUDP_A_PATH_REMOTE_IPV6,	/* binary, 16 bytes */
	MPUDP_A_PATH_REMOTE_PORT,	/* be16, not 0 */
	MPUDP_A_PATH_WEIGHT,		/* u32, MPUDP_WEIGHT_MIN to _MAX */
	MPUDP_A_PATH_FLAGS,		/* u32, enum mpudp_path_flags */
	MPUDP_A_PATH_STATS,		/* nest, enum mpudp_a_path_stats */
	MPUDP_A_PATH_PAD,		/* padding for 64-bit attributes */
	MPUDP_A_PATH_STATE,		/* u32, read-only: enum mpudp_path_state */
	MPUDP_A_PATH_RATE_CAP,		/* u64, bit/s: 0 (no cap) or MPUDP_RATE_CAP_MIN and up */

	__MPUDP_A_PATH_MAX,
	MPUDP_A_PATH_MAX = __MPUDP_A_PATH_MAX - 1
};

/*
 * Counters of a tunnel (MPUDP_A_TUNNEL_STATS), as it receives. u64 unless
 * said otherwise. A gap is a sequence number that did not arrive in time.
 */
enum mpudp_a_tunnel_stats {
	MPUDP_A_TUNNEL_STATS_RX_IN_ORDER = 1,	/* arrived when next */
	MPUDP_A_TUNNEL_STATS_RX_REORDERED,	/* arrived early, held */
	MPUDP_A_TUNNEL_STATS_RX_LATE,		/* arrived after its gap was given up */
	MPUDP_A_TUNNEL_STATS_RX_DUPLICATES,	/* arrived before; dropped */
	MPUDP_A_TUNNEL_STATS_RX_TOO_OLD,	/* older than the window; dropped */
	MPUDP_A_TUNNEL_STATS_RX_GAPS_TIMEOUT,	/* gaps given up after the hold time */
	MPUDP_A_TUNNEL_STATS_RX_GAPS_PROVEN,	/* gaps every path had passed */
	MPUDP_A_TUNNEL_STATS_RX_GAPS_OVERFLOW,	/* gaps given up, buffer full */
	MPUDP_A_TUNNEL_STATS_RX_RESYNCS,	/* peer restarts */
	MPUDP_A_TUNNEL_STATS_RX_HELD,		/* u32: datagrams held now */
	MPUDP_A_TUNNEL_STATS_RX_PLAIN,		/* plain datagrams on the primary 4-tuple */
	MPUDP_A_TUNNEL_STATS_TX_PLAIN,		/* datagrams sent plain: no path */
	MPUDP_A_TUNNEL_STATS_HOLD,		/* u32: hold time of a gap now, us */
	MPUDP_A_TUNNEL_STATS_PAD,
	MPUDP_A_TUNNEL_STATS_RX_GAPS_LOST,	/* gaps their own path showed lost */
	MPUDP_A_TUNNEL_STATS_TX_FEC,		/* parity datagrams sent */
	MPUDP_A_TUNNEL_STATS_RX_FEC,		/* parity datagrams received */
	MPUDP_A_TUNNEL_STATS_RX_FEC_RECOVERED,	/* datagrams rebuilt from parity */

	__MPUDP_A_TUNNEL_STATS_MAX,
	MPUDP_A_TUNNEL_STATS_MAX = __MPUDP_A_TUNNEL_STATS_MAX - 1
};

/*
 * Counters and estimates of a path (MPUDP_A_PATH_STATS). u64 unless said
 * otherwise. Bytes are the VPN's payload bytes.
 */
enum mpudp_a_path_stats {
	MPUDP_A_PATH_STATS_TX_PACKETS = 1,
	MPUDP_A_PATH_STATS_TX_BYTES,
	MPUDP_A_PATH_STATS_TX_ERRORS,		/* no route, no memory, send failed */
	MPUDP_A_PATH_STATS_RX_PACKETS,
	MPUDP_A_PATH_STATS_RX_BYTES,
	MPUDP_A_PATH_STATS_RX_LOST,		/* gaps in the path sequence numbers */
	MPUDP_A_PATH_STATS_RX_OUT_OF_ORDER,	/* behind the path sequence */
	MPUDP_A_PATH_STATS_RX_MALFORMED,	/* too short, bad type or length */
	MPUDP_A_PATH_STATS_RX_BAD_VERSION,	/* unknown MPUDP version */
	MPUDP_A_PATH_STATS_RX_UNKNOWN_TUNNEL,	/* tag of another tunnel */
	MPUDP_A_PATH_STATS_RX_CSUM_ERRORS,	/* bad UDP checksum */
	MPUDP_A_PATH_STATS_DELAY,		/* u32: one-way delay above the fastest path, us */
	MPUDP_A_PATH_STATS_JITTER,		/* u32: RFC 3550 jitter, us */
	MPUDP_A_PATH_STATS_SRTT,		/* u32: smoothed RTT, us; 0: unknown */
	MPUDP_A_PATH_STATS_PAD,
	MPUDP_A_PATH_STATS_RTTVAR,		/* u32: RTT variation, us */
	MPUDP_A_PATH_STATS_MIN_RTT,		/* u32: lowest RTT lately, us */
	MPUDP_A_PATH_STATS_TX_LOSS,		/* u32: loss the peer sees, ppm */
	MPUDP_A_PATH_STATS_TX_RATE,		/* delivery rate the peer sees, bit/s */
	MPUDP_A_PATH_STATS_TX_DELAY,		/* u32: one-way delay above the fastest path, us */
	MPUDP_A_PATH_STATS_TX_QUEUE,		/* u32: queueing delay to the peer, us */
	MPUDP_A_PATH_STATS_TX_SILENCE,		/* u32: since the peer last heard the path, us */
	MPUDP_A_PATH_STATS_TX_PROBES,		/* probes sent */
	MPUDP_A_PATH_STATS_RX_PROBES,		/* probes received */
	MPUDP_A_PATH_STATS_FAILURES,		/* times the path failed */
	MPUDP_A_PATH_STATS_TX_STANDING,		/* u32: standing queue to the peer, us */

	__MPUDP_A_PATH_STATS_MAX,
	MPUDP_A_PATH_STATS_MAX = __MPUDP_A_PATH_STATS_MAX - 1
};

enum mpudp_a_sched {
	MPUDP_A_SCHED_NAME = 1,		/* string */

	__MPUDP_A_SCHED_MAX,
	MPUDP_A_SCHED_MAX = __MPUDP_A_SCHED_MAX - 1
};

#endif /* _UAPI_LINUX_MPUDP_H */
