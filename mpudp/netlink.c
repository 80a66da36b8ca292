// SPDX-License-Identifier: GPL-2.0
/*
 * The "mpudp" generic netlink family: tunnels, paths and schedulers.
 * include/uapi/linux/mpudp.h documents every command and attribute, and
 * Documentation/netlink/specs/mpudp.yaml specifies them; the policies below
 * follow the spec.
 *
 * Every request is parsed and checked completely before anything changes, and
 * every mistake a user can make is answered with an extended ACK message.
 * Changes hold the namespace's lock from lookup to reply, so a reply always
 * describes the object as the request left it.
 */

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/netdevice.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <net/netlink.h>
#include <uapi/linux/mpudp.h>

#include "compat.h"
#include "monitor.h"
#include "netlink.h"
#include "netns.h"
#include "proto.h"
#include "path.h"
#include "reseq.h"
#include "sched.h"
#include "tunnel.h"

static const struct nla_policy mpudp_tunnel_policy[MPUDP_A_TUNNEL_MAX + 1] = {
	[MPUDP_A_TUNNEL_ID]		= { .type = NLA_U32 },
	[MPUDP_A_TUNNEL_LOCAL_IPV4]	= { .type = NLA_BE32 },
	[MPUDP_A_TUNNEL_LOCAL_IPV6]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[MPUDP_A_TUNNEL_LOCAL_PORT]	= { .type = NLA_BE16 },
	[MPUDP_A_TUNNEL_REMOTE_IPV4]	= { .type = NLA_BE32 },
	[MPUDP_A_TUNNEL_REMOTE_IPV6]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[MPUDP_A_TUNNEL_REMOTE_PORT]	= { .type = NLA_BE16 },
	/* Any length: a name that is not registered is "Unknown scheduler". */
	[MPUDP_A_TUNNEL_SCHED]		= { .type = NLA_NUL_STRING },
	[MPUDP_A_TUNNEL_MAX_HOLD]	= { .type = NLA_U32 },
	/* At most MPUDP_FEC_MAX, or MPUDP_FEC_AUTO: parse_fec() says so. */
	[MPUDP_A_TUNNEL_FEC]		= { .type = NLA_U32 },
};

static_assert(MPUDP_FEC_MAX == MPUDP_FEC_MAX_K);

static const struct nla_policy mpudp_path_policy[MPUDP_A_PATH_MAX + 1] = {
	[MPUDP_A_PATH_ID]		= { .type = NLA_U32 },
	[MPUDP_A_PATH_TUNNEL_ID]	= { .type = NLA_U32 },
	[MPUDP_A_PATH_IFINDEX]		= { .type = NLA_U32 },
	[MPUDP_A_PATH_LOCAL_IPV4]	= { .type = NLA_BE32 },
	[MPUDP_A_PATH_LOCAL_IPV6]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[MPUDP_A_PATH_LOCAL_PORT]	= { .type = NLA_BE16 },
	[MPUDP_A_PATH_REMOTE_IPV4]	= { .type = NLA_BE32 },
	[MPUDP_A_PATH_REMOTE_IPV6]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[MPUDP_A_PATH_REMOTE_PORT]	= { .type = NLA_BE16 },
	[MPUDP_A_PATH_WEIGHT]		= { .type = NLA_U32 },
	[MPUDP_A_PATH_FLAGS]		= NLA_POLICY_MASK(NLA_U32, MPUDP_PATH_F_BACKUP),
	/* 0 or at least MPUDP_RATE_CAP_MIN: parse_rate_cap() says so. */
	[MPUDP_A_PATH_RATE_CAP]		= { .type = NLA_U64 },
};

static const struct nla_policy mpudp_policy[MPUDP_A_MAX + 1] = {
	[MPUDP_A_TUNNEL]	= NLA_POLICY_NESTED(mpudp_tunnel_policy),
	[MPUDP_A_PATH]		= NLA_POLICY_NESTED(mpudp_path_policy),
};

static struct genl_family mpudp_genl_family;

/* Parsing */

/*
 * Parses the nest @type of the request into @tb; the nest is required.
 * Returns the nest or an ERR_PTR.
 */
static struct nlattr *parse_nest(struct genl_info *info, int type, int max,
				 const struct nla_policy *policy,
				 struct nlattr **tb)
{
	struct nlattr *nest = info->attrs[type];
	int err;

	if (!nest) {
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, type);
		if (type == MPUDP_A_TUNNEL)
			NL_SET_ERR_MSG(info->extack, "Missing tunnel attributes");
		else
			NL_SET_ERR_MSG(info->extack, "Missing path attributes");
		return ERR_PTR(-EINVAL);
	}
	err = nla_parse_nested(tb, max, nest, policy, info->extack);
	return err ? ERR_PTR(err) : nest;
}

static bool ip_is_unicast(u16 family, const union mpudp_ip *ip)
{
	if (family == AF_INET)
		return !ipv4_is_multicast(ip->v4) && !ipv4_is_lbcast(ip->v4) &&
		       !ipv4_is_zeronet(ip->v4);
	return !ipv6_addr_any(&ip->v6) && !ipv6_addr_is_multicast(&ip->v6);
}

/*
 * Parses an address given as either an IPv4 or an IPv6 attribute.
 * Returns its family, 0 when neither attribute is there, or -EINVAL.
 */
static int parse_ip(struct nlattr *a4, struct nlattr *a6, union mpudp_ip *ip,
		    struct netlink_ext_ack *extack)
{
	if (a4 && a6) {
		NL_SET_ERR_MSG_ATTR(extack, a6, "Give an IPv4 or an IPv6 address, not both");
		return -EINVAL;
	}
	if (a4) {
		ip->v4 = nla_get_in_addr(a4);
		return AF_INET;
	}
	if (a6) {
		ip->v6 = nla_get_in6_addr(a6);
		return AF_INET6;
	}
	return 0;
}

/*
 * Parses the port attribute @a into @port; @dflt (network order, 0 for none)
 * stands in when it is missing.
 */
static int parse_port(struct nlattr *nest, struct nlattr **tb, int type,
		      __be16 dflt, __be16 *port, struct netlink_ext_ack *extack)
{
	if (!tb[type]) {
		if (dflt) {
			*port = dflt;
			return 0;
		}
		NL_SET_ERR_ATTR_MISS(extack, nest, type);
		NL_SET_ERR_MSG(extack, "Missing port");
		return -EINVAL;
	}
	*port = nla_get_be16(tb[type]);
	if (!*port) {
		NL_SET_ERR_MSG_ATTR(extack, tb[type], "Port 0 is not a valid UDP port");
		return -EINVAL;
	}
	return 0;
}

/* Attribute types of the address parts of a tunnel or a path nest. */
struct tuple_attrs {
	int local4, local6, local_port, remote4, remote6, remote_port;
};

static const struct tuple_attrs tunnel_tuple_attrs = {
	MPUDP_A_TUNNEL_LOCAL_IPV4, MPUDP_A_TUNNEL_LOCAL_IPV6,
	MPUDP_A_TUNNEL_LOCAL_PORT, MPUDP_A_TUNNEL_REMOTE_IPV4,
	MPUDP_A_TUNNEL_REMOTE_IPV6, MPUDP_A_TUNNEL_REMOTE_PORT,
};

static const struct tuple_attrs path_tuple_attrs = {
	MPUDP_A_PATH_LOCAL_IPV4, MPUDP_A_PATH_LOCAL_IPV6,
	MPUDP_A_PATH_LOCAL_PORT, MPUDP_A_PATH_REMOTE_IPV4,
	MPUDP_A_PATH_REMOTE_IPV6, MPUDP_A_PATH_REMOTE_PORT,
};

/*
 * Parses a 4-tuple. @dflt, when not NULL, is the tunnel a path belongs to:
 * it gives the family the addresses must have and the default ports, and the
 * local address becomes optional.
 */
static int parse_tuple(struct nlattr *nest, struct nlattr **tb,
		       const struct tuple_attrs *ta,
		       const struct mpudp_tuple *dflt, struct mpudp_tuple *tu,
		       struct netlink_ext_ack *extack)
{
	struct nlattr *rattr = tb[ta->remote4] ?: tb[ta->remote6];
	struct nlattr *lattr = tb[ta->local4] ?: tb[ta->local6];
	int lf, rf, err;

	memset(tu, 0, sizeof(*tu));
	lf = parse_ip(tb[ta->local4], tb[ta->local6], &tu->local, extack);
	if (lf < 0)
		return lf;
	rf = parse_ip(tb[ta->remote4], tb[ta->remote6], &tu->remote, extack);
	if (rf < 0)
		return rf;
	if (!rf) {
		NL_SET_ERR_ATTR_MISS(extack, nest, ta->remote4);
		NL_SET_ERR_MSG(extack, "Missing remote address");
		return -EINVAL;
	}
	if (!lf && !dflt) {
		NL_SET_ERR_ATTR_MISS(extack, nest, ta->local4);
		NL_SET_ERR_MSG(extack, "Missing local address");
		return -EINVAL;
	}
	if (lf && lf != rf) {
		NL_SET_ERR_MSG_ATTR(extack, rattr, "Local and remote addresses must be of the same family");
		return -EINVAL;
	}
	if (dflt && rf != dflt->family) {
		NL_SET_ERR_MSG_ATTR(extack, rattr, "Path address family differs from the tunnel's");
		return -EINVAL;
	}
	tu->family = rf;
	if (!ip_is_unicast(rf, &tu->remote)) {
		NL_SET_ERR_MSG_ATTR(extack, rattr, "Remote address must be a unicast address");
		return -EINVAL;
	}
	if (lf && !ip_is_unicast(lf, &tu->local)) {
		NL_SET_ERR_MSG_ATTR(extack, lattr, "Local address must be a unicast address");
		return -EINVAL;
	}
	err = parse_port(nest, tb, ta->local_port, dflt ? dflt->local_port : 0,
			 &tu->local_port, extack);
	if (err)
		return err;
	return parse_port(nest, tb, ta->remote_port,
			  dflt ? dflt->remote_port : 0, &tu->remote_port, extack);
}

/* Returns the scheduler named by @a with a reference held, or an ERR_PTR. */
static const struct mpudp_sched_ops *parse_sched(struct nlattr *a,
						 struct netlink_ext_ack *extack)
{
	const struct mpudp_sched_ops *ops;

	ops = mpudp_sched_find_get(a ? nla_data(a) : MPUDP_SCHED_DEFAULT);
	if (!ops) {
		NL_SET_ERR_MSG_ATTR(extack, a, "Unknown scheduler");
		return ERR_PTR(-ENOENT);
	}
	return ops;
}

static struct mpudp_tunnel *find_tunnel(struct mpudp_net *mn,
					struct nlattr *nest, struct nlattr **tb,
					int type, struct netlink_ext_ack *extack)
{
	struct mpudp_tunnel *t;

	lockdep_assert_held(&mn->lock);

	if (!tb[type]) {
		NL_SET_ERR_ATTR_MISS(extack, nest, type);
		NL_SET_ERR_MSG(extack, "Missing tunnel id");
		return ERR_PTR(-EINVAL);
	}
	t = mpudp_tunnel_find(mn, nla_get_u32(tb[type]));
	if (!t) {
		NL_SET_ERR_MSG_ATTR(extack, tb[type], "Unknown tunnel id");
		return ERR_PTR(-ENOENT);
	}
	return t;
}

static struct mpudp_path *find_path(struct mpudp_net *mn, struct nlattr *nest,
				    struct nlattr **tb,
				    struct netlink_ext_ack *extack)
{
	struct mpudp_tunnel *t;
	struct mpudp_path *p;

	t = find_tunnel(mn, nest, tb, MPUDP_A_PATH_TUNNEL_ID, extack);
	if (IS_ERR(t))
		return ERR_CAST(t);
	if (!tb[MPUDP_A_PATH_ID]) {
		NL_SET_ERR_ATTR_MISS(extack, nest, MPUDP_A_PATH_ID);
		NL_SET_ERR_MSG(extack, "Missing path id");
		return ERR_PTR(-EINVAL);
	}
	p = mpudp_path_find(t, nla_get_u32(tb[MPUDP_A_PATH_ID]));
	if (!p) {
		NL_SET_ERR_MSG_ATTR(extack, tb[MPUDP_A_PATH_ID], "Unknown path id");
		return ERR_PTR(-ENOENT);
	}
	return p;
}

static int parse_weight(struct nlattr *a, u32 dflt, u32 *weight,
			struct netlink_ext_ack *extack)
{
	*weight = a ? nla_get_u32(a) : dflt;
	if (*weight < MPUDP_WEIGHT_MIN || *weight > MPUDP_WEIGHT_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, a, "Path weight must be between "
				    __stringify(MPUDP_WEIGHT_MIN) " and "
				    __stringify(MPUDP_WEIGHT_MAX));
		return -ERANGE;
	}
	return 0;
}

/*
 * A rate cap is in bit/s; 0 is none. Below MPUDP_RATE_CAP_MIN (1 kB/s) a path
 * would carry a full-size datagram every few seconds at most: such a value is
 * more likely a mistaken unit than a wish, and is refused.
 */
static int parse_rate_cap(struct nlattr *a, u64 dflt, u64 *rate_cap,
			  struct netlink_ext_ack *extack)
{
	*rate_cap = a ? nla_get_u64(a) : dflt;
	if (*rate_cap && *rate_cap < MPUDP_RATE_CAP_MIN) {
		NL_SET_ERR_MSG_ATTR(extack, a, "Rate cap must be 0 (none) or at least "
				    __stringify(MPUDP_RATE_CAP_MIN) " bit/s");
		return -ERANGE;
	}
	return 0;
}

static int parse_max_hold(struct nlattr *a, u32 *max_hold,
			  struct netlink_ext_ack *extack)
{
	*max_hold = a ? nla_get_u32(a) : MPUDP_MAX_HOLD_DEFAULT_US;
	if (*max_hold > MPUDP_MAX_HOLD_LIMIT) {
		NL_SET_ERR_MSG_ATTR(extack, a, "The hold time is at most 1 s");
		return -ERANGE;
	}
	return 0;
}

static int parse_fec(struct nlattr *a, u8 *k, struct netlink_ext_ack *extack)
{
	u32 v = a ? nla_get_u32(a) : 0;

	if (v > MPUDP_FEC_MAX && v != MPUDP_FEC_AUTO) {
		NL_SET_ERR_MSG_ATTR(extack, a, "FEC takes at most "
				    __stringify(MPUDP_FEC_MAX) " datagrams per parity, or auto");
		return -ERANGE;
	}
	*k = v;
	return 0;
}

/* Returns the first of the @n attribute types in @types present in @tb. */
static struct nlattr *first_attr(struct nlattr **tb, const int *types, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (tb[types[i]])
			return tb[types[i]];
	return NULL;
}

static bool ifindex_exists(struct net *net, int ifindex)
{
	bool ret;

	rcu_read_lock();
	ret = dev_get_by_index_rcu(net, ifindex);
	rcu_read_unlock();
	return ret;
}

/* Replies */

static int put_ip(struct sk_buff *skb, int a4, int a6, u16 family,
		  const union mpudp_ip *ip)
{
	if (family == AF_INET)
		return nla_put_in_addr(skb, a4, ip->v4);
	return nla_put_in6_addr(skb, a6, &ip->v6);
}

static bool ip_is_any(u16 family, const union mpudp_ip *ip)
{
	return family == AF_INET ? !ip->v4 : ipv6_addr_any(&ip->v6);
}

static int put_tuple(struct sk_buff *skb, const struct tuple_attrs *ta,
		     const struct mpudp_tuple *tu)
{
	if (!ip_is_any(tu->family, &tu->local) &&
	    put_ip(skb, ta->local4, ta->local6, tu->family, &tu->local))
		return -EMSGSIZE;
	if (put_ip(skb, ta->remote4, ta->remote6, tu->family, &tu->remote) ||
	    nla_put_be16(skb, ta->local_port, tu->local_port) ||
	    nla_put_be16(skb, ta->remote_port, tu->remote_port))
		return -EMSGSIZE;
	return 0;
}

/* Most bytes put_tuple() adds. */
static size_t tuple_size(void)
{
	return 2 * nla_total_size(sizeof(struct in6_addr)) +
	       2 * nla_total_size(sizeof(__be16));
}

static int put_u64s(struct sk_buff *skb, const u64 *v, int n, int pad)
{
	int i;

	for (i = 0; i < n; i++)
		if (nla_put_u64_64bit(skb, i + 1, v[i], pad))
			return -EMSGSIZE;
	return 0;
}

/*
 * The smallest smoothed transit time of the tunnel's paths, the reference of
 * their delays. Under the tunnel's rx_lock.
 */
static u32 min_transit(struct mpudp_tunnel *t)
{
	struct mpudp_path *p;
	bool first = true;
	u32 lo = 0, x;

	list_for_each_entry(p, &t->paths, node) {
		if (!p->rx.started)
			continue;
		x = mpudp_path_transit(&p->rx);
		if (first || (s32)(x - lo) < 0)
			lo = x;
		first = false;
	}
	return lo;
}

static int put_path_stats(struct sk_buff *skb, struct mpudp_path *p)
{
	struct mpudp_tunnel *t = p->tunnel;
	struct mpudp_path_counters c;
	u32 delay = 0, jitter, srtt, rttvar, min_rtt, silence;
	struct mpudp_path_mon m;
	struct nlattr *nest;
	u64 v[MPUDP_A_PATH_STATS_RX_CSUM_ERRORS];
	u64 lost, ooo, rx_probes, tx_probes;

	mpudp_path_read_pcpu(p, &c);
	spin_lock_bh(&t->rx_lock);
	lost = p->rx.lost;
	ooo = p->rx.out_of_order;
	jitter = p->rx.jitter >> 4;
	srtt = p->rx.srtt >> 3;
	rttvar = p->rx.rttvar >> 2;
	min_rtt = p->rx.min_rtt;
	rx_probes = p->rx.probes;
	if (p->rx.started)
		delay = mpudp_path_transit(&p->rx) - min_transit(t);
	m = p->mon;
	silence = mpudp_mon_silence_us(p, ktime_get_ns());
	spin_unlock_bh(&t->rx_lock);
	spin_lock_bh(&t->sched_lock);
	tx_probes = p->tx_probes;
	spin_unlock_bh(&t->sched_lock);

	v[MPUDP_A_PATH_STATS_TX_PACKETS - 1] = c.tx_packets;
	v[MPUDP_A_PATH_STATS_TX_BYTES - 1] = c.tx_bytes;
	v[MPUDP_A_PATH_STATS_TX_ERRORS - 1] = atomic64_read(&p->tx_errors);
	v[MPUDP_A_PATH_STATS_RX_PACKETS - 1] = c.rx_packets;
	v[MPUDP_A_PATH_STATS_RX_BYTES - 1] = c.rx_bytes;
	v[MPUDP_A_PATH_STATS_RX_LOST - 1] = lost;
	v[MPUDP_A_PATH_STATS_RX_OUT_OF_ORDER - 1] = ooo;
	v[MPUDP_A_PATH_STATS_RX_MALFORMED - 1] = atomic64_read(&p->rx_malformed);
	v[MPUDP_A_PATH_STATS_RX_BAD_VERSION - 1] = atomic64_read(&p->rx_bad_version);
	v[MPUDP_A_PATH_STATS_RX_UNKNOWN_TUNNEL - 1] = atomic64_read(&p->rx_unknown_tunnel);
	v[MPUDP_A_PATH_STATS_RX_CSUM_ERRORS - 1] = atomic64_read(&p->rx_csum_errors);

	nest = nla_nest_start(skb, MPUDP_A_PATH_STATS);
	if (!nest || put_u64s(skb, v, ARRAY_SIZE(v), MPUDP_A_PATH_STATS_PAD) ||
	    nla_put_u32(skb, MPUDP_A_PATH_STATS_DELAY, delay) ||
	    nla_put_u32(skb, MPUDP_A_PATH_STATS_JITTER, jitter) ||
	    nla_put_u32(skb, MPUDP_A_PATH_STATS_SRTT, srtt) ||
	    nla_put_u32(skb, MPUDP_A_PATH_STATS_RTTVAR, rttvar) ||
	    nla_put_u32(skb, MPUDP_A_PATH_STATS_MIN_RTT, min_rtt) ||
	    nla_put_u32(skb, MPUDP_A_PATH_STATS_TX_LOSS, m.loss) ||
	    nla_put_u64_64bit(skb, MPUDP_A_PATH_STATS_TX_RATE, m.rate,
			      MPUDP_A_PATH_STATS_PAD) ||
	    nla_put_u32(skb, MPUDP_A_PATH_STATS_TX_DELAY, m.delay) ||
	    nla_put_u32(skb, MPUDP_A_PATH_STATS_TX_QUEUE, m.queue) ||
	    nla_put_u32(skb, MPUDP_A_PATH_STATS_TX_STANDING, m.queue_min) ||
	    nla_put_u32(skb, MPUDP_A_PATH_STATS_TX_SILENCE, silence) ||
	    nla_put_u64_64bit(skb, MPUDP_A_PATH_STATS_TX_PROBES, tx_probes,
			      MPUDP_A_PATH_STATS_PAD) ||
	    nla_put_u64_64bit(skb, MPUDP_A_PATH_STATS_RX_PROBES, rx_probes,
			      MPUDP_A_PATH_STATS_PAD) ||
	    nla_put_u64_64bit(skb, MPUDP_A_PATH_STATS_FAILURES, m.failures,
			      MPUDP_A_PATH_STATS_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_tunnel_stats(struct sk_buff *skb, struct mpudp_tunnel *t)
{
	u64 v[MPUDP_A_TUNNEL_STATS_RX_RESYNCS];
	struct mpudp_reseq_stats st;
	struct nlattr *nest;
	u64 rx_fec, rx_fec_recovered;
	u32 held, hold;

	spin_lock_bh(&t->rx_lock);
	st = t->reseq->stats;
	held = t->reseq->held;
	hold = div_u64(t->rx_hold_ns, NSEC_PER_USEC);
	rx_fec = t->rx_fec;
	rx_fec_recovered = t->rx_fec_recovered;
	spin_unlock_bh(&t->rx_lock);

	v[MPUDP_A_TUNNEL_STATS_RX_IN_ORDER - 1] = st.in_order;
	v[MPUDP_A_TUNNEL_STATS_RX_REORDERED - 1] = st.reordered;
	v[MPUDP_A_TUNNEL_STATS_RX_LATE - 1] = st.late;
	v[MPUDP_A_TUNNEL_STATS_RX_DUPLICATES - 1] = st.duplicates;
	v[MPUDP_A_TUNNEL_STATS_RX_TOO_OLD - 1] = st.too_old;
	v[MPUDP_A_TUNNEL_STATS_RX_GAPS_TIMEOUT - 1] = st.gaps_timeout;
	v[MPUDP_A_TUNNEL_STATS_RX_GAPS_PROVEN - 1] = st.gaps_proven;
	v[MPUDP_A_TUNNEL_STATS_RX_GAPS_OVERFLOW - 1] = st.gaps_overflow;
	v[MPUDP_A_TUNNEL_STATS_RX_RESYNCS - 1] = st.resyncs;

	nest = nla_nest_start(skb, MPUDP_A_TUNNEL_STATS);
	if (!nest || put_u64s(skb, v, ARRAY_SIZE(v), MPUDP_A_TUNNEL_STATS_PAD) ||
	    nla_put_u32(skb, MPUDP_A_TUNNEL_STATS_RX_HELD, held) ||
	    nla_put_u64_64bit(skb, MPUDP_A_TUNNEL_STATS_RX_PLAIN,
			      atomic64_read(&t->rx_plain), MPUDP_A_TUNNEL_STATS_PAD) ||
	    nla_put_u64_64bit(skb, MPUDP_A_TUNNEL_STATS_TX_PLAIN,
			      atomic64_read(&t->tx_plain), MPUDP_A_TUNNEL_STATS_PAD) ||
	    nla_put_u32(skb, MPUDP_A_TUNNEL_STATS_HOLD, hold) ||
	    nla_put_u64_64bit(skb, MPUDP_A_TUNNEL_STATS_RX_GAPS_LOST,
			      st.gaps_lost, MPUDP_A_TUNNEL_STATS_PAD) ||
	    nla_put_u64_64bit(skb, MPUDP_A_TUNNEL_STATS_TX_FEC,
			      atomic64_read(&t->tx_fec), MPUDP_A_TUNNEL_STATS_PAD) ||
	    nla_put_u64_64bit(skb, MPUDP_A_TUNNEL_STATS_RX_FEC, rx_fec,
			      MPUDP_A_TUNNEL_STATS_PAD) ||
	    nla_put_u64_64bit(skb, MPUDP_A_TUNNEL_STATS_RX_FEC_RECOVERED,
			      rx_fec_recovered, MPUDP_A_TUNNEL_STATS_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* Puts the attributes of @p; @with_tunnel adds the tunnel id. */
static int put_path(struct sk_buff *skb, struct mpudp_path *p,
		    bool with_tunnel)
{
	if (nla_put_u32(skb, MPUDP_A_PATH_ID, p->id) ||
	    (with_tunnel &&
	     nla_put_u32(skb, MPUDP_A_PATH_TUNNEL_ID, p->tunnel->id)) ||
	    (p->ifindex && nla_put_u32(skb, MPUDP_A_PATH_IFINDEX, p->ifindex)) ||
	    put_tuple(skb, &path_tuple_attrs, &p->tuple) ||
	    nla_put_u32(skb, MPUDP_A_PATH_WEIGHT, READ_ONCE(p->weight)) ||
	    nla_put_u32(skb, MPUDP_A_PATH_FLAGS, READ_ONCE(p->flags)) ||
	    nla_put_u64_64bit(skb, MPUDP_A_PATH_RATE_CAP, READ_ONCE(p->rate_cap),
			      MPUDP_A_PATH_PAD) ||
	    nla_put_u32(skb, MPUDP_A_PATH_STATE, READ_ONCE(p->mon.state)) ||
	    put_path_stats(skb, p))
		return -EMSGSIZE;
	return 0;
}

/* Most bytes a nest made by put_path() takes. */
static size_t path_size(void)
{
	return nla_total_size(0) +		/* the nest */
	       4 * nla_total_size(sizeof(u32)) + /* ids, ifindex */
	       tuple_size() +
	       3 * nla_total_size(sizeof(u32)) + /* weight, flags, state */
	       nla_total_size_64bit(sizeof(u64)) + /* rate cap */
	       nla_total_size(0) +		/* stats */
	       (MPUDP_A_PATH_STATS_RX_CSUM_ERRORS + 4) *
		nla_total_size_64bit(sizeof(u64)) +
	       10 * nla_total_size(sizeof(u32));
}

static size_t tunnel_size(unsigned int n_paths)
{
	return nla_total_size(0) +		/* the nest */
	       7 * nla_total_size(sizeof(u32)) + /* id, max hold, fec (2), tag, state, interval */
	       tuple_size() +
	       nla_total_size(MPUDP_SCHED_NAME_MAX) +
	       nla_total_size(0) +		/* stats */
	       (MPUDP_A_TUNNEL_STATS_RX_RESYNCS + 5) *
		nla_total_size_64bit(sizeof(u64)) +
	       2 * nla_total_size(sizeof(u32)) +
	       n_paths * path_size();
}

/*
 * Puts a whole message describing @t. @cb is the dump's callback, or NULL.
 * Must be called with the namespace's lock held.
 */
static int tunnel_fill(struct sk_buff *skb, struct mpudp_tunnel *t, u32 portid,
		       u32 seq, int flags, u8 cmd, struct netlink_callback *cb)
{
	struct nlattr *nest, *pnest;
	struct mpudp_path *p;
	void *hdr;

	lockdep_assert_held(&t->mn->lock);

	hdr = genlmsg_put(skb, portid, seq, &mpudp_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	nest = nla_nest_start(skb, MPUDP_A_TUNNEL);
	if (!nest ||
	    nla_put_u32(skb, MPUDP_A_TUNNEL_ID, t->id) ||
	    put_tuple(skb, &tunnel_tuple_attrs, &t->tuple) ||
	    nla_put_string(skb, MPUDP_A_TUNNEL_SCHED, mpudp_tunnel_sched(t)->name) ||
	    nla_put_u32(skb, MPUDP_A_TUNNEL_MAX_HOLD, READ_ONCE(t->max_hold_us)) ||
	    nla_put_u32(skb, MPUDP_A_TUNNEL_FEC, READ_ONCE(t->fec_cfg)) ||
	    nla_put_u32(skb, MPUDP_A_TUNNEL_FEC_NOW, READ_ONCE(t->fec_k)) ||
	    nla_put_be16(skb, MPUDP_A_TUNNEL_TAG, t->tag) ||
	    nla_put_u32(skb, MPUDP_A_TUNNEL_STATE, READ_ONCE(t->state)) ||
	    nla_put_u32(skb, MPUDP_A_TUNNEL_PROBE_INTERVAL,
			div_u64(READ_ONCE(t->probe_interval_ns), NSEC_PER_USEC)) ||
	    put_tunnel_stats(skb, t))
		goto err;
	list_for_each_entry(p, &t->paths, node) {
		pnest = nla_nest_start(skb, MPUDP_A_TUNNEL_PATH);
		if (!pnest || put_path(skb, p, false))
			goto err;
		nla_nest_end(skb, pnest);
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
err:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int path_fill(struct sk_buff *skb, struct mpudp_path *p, u32 portid,
		     u32 seq, int flags, u8 cmd, struct netlink_callback *cb)
{
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &mpudp_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	nest = nla_nest_start(skb, MPUDP_A_PATH);
	if (!nest || put_path(skb, p, true)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * Replies are allocated before a request changes anything and filled after,
 * so that a request that fails changes nothing: the sizes are exact upper
 * bounds and filling cannot fail.
 */
static int tunnel_reply_fill(struct sk_buff *msg, struct mpudp_tunnel *t,
			     struct genl_info *info)
{
	int err = tunnel_fill(msg, t, info->snd_portid, info->snd_seq, 0,
			      info->genlhdr->cmd, NULL);

	WARN_ON_ONCE(err);
	return err;
}

static int path_reply_fill(struct sk_buff *msg, struct mpudp_path *p,
			   struct genl_info *info)
{
	int err = path_fill(msg, p, info->snd_portid, info->snd_seq, 0,
			    info->genlhdr->cmd, NULL);

	WARN_ON_ONCE(err);
	return err;
}

/* Tunnel commands */

static int mpudp_nl_tunnel_new(struct sk_buff *skb, struct genl_info *info)
{
	struct mpudp_net *mn = mpudp_net(genl_info_net(info));
	struct nlattr *tb[MPUDP_A_TUNNEL_MAX + 1], *nest;
	struct mpudp_tunnel_cfg cfg;
	struct mpudp_tunnel *t;
	struct sk_buff *msg;
	int err;

	nest = parse_nest(info, MPUDP_A_TUNNEL, MPUDP_A_TUNNEL_MAX,
			  mpudp_tunnel_policy, tb);
	if (IS_ERR(nest))
		return PTR_ERR(nest);
	err = parse_tuple(nest, tb, &tunnel_tuple_attrs, NULL, &cfg.tuple,
			  info->extack) ?:
	      parse_max_hold(tb[MPUDP_A_TUNNEL_MAX_HOLD], &cfg.max_hold_us,
			     info->extack) ?:
	      parse_fec(tb[MPUDP_A_TUNNEL_FEC], &cfg.fec, info->extack);
	if (err)
		return err;
	cfg.sched = parse_sched(tb[MPUDP_A_TUNNEL_SCHED], info->extack);
	if (IS_ERR(cfg.sched))
		return PTR_ERR(cfg.sched);
	msg = genlmsg_new(tunnel_size(0), GFP_KERNEL);
	if (!msg) {
		err = -ENOMEM;
		goto out_sched;
	}

	mutex_lock(&mn->lock);
	t = mpudp_tunnel_create(mn, &cfg, info->extack);
	err = PTR_ERR_OR_ZERO(t) ?: tunnel_reply_fill(msg, t, info);
	mutex_unlock(&mn->lock);
out_sched:
	mpudp_sched_put(cfg.sched);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

static int mpudp_nl_tunnel_del(struct sk_buff *skb, struct genl_info *info)
{
	struct mpudp_net *mn = mpudp_net(genl_info_net(info));
	struct nlattr *tb[MPUDP_A_TUNNEL_MAX + 1], *nest;
	struct mpudp_tunnel *t;

	nest = parse_nest(info, MPUDP_A_TUNNEL, MPUDP_A_TUNNEL_MAX,
			  mpudp_tunnel_policy, tb);
	if (IS_ERR(nest))
		return PTR_ERR(nest);

	mutex_lock(&mn->lock);
	t = find_tunnel(mn, nest, tb, MPUDP_A_TUNNEL_ID, info->extack);
	if (!IS_ERR(t))
		mpudp_tunnel_remove(t);
	mutex_unlock(&mn->lock);
	return PTR_ERR_OR_ZERO(t);
}

static const int tunnel_immutable_attrs[] = {
	MPUDP_A_TUNNEL_LOCAL_IPV4, MPUDP_A_TUNNEL_LOCAL_IPV6,
	MPUDP_A_TUNNEL_LOCAL_PORT, MPUDP_A_TUNNEL_REMOTE_IPV4,
	MPUDP_A_TUNNEL_REMOTE_IPV6, MPUDP_A_TUNNEL_REMOTE_PORT,
};

static int mpudp_nl_tunnel_set(struct sk_buff *skb, struct genl_info *info)
{
	struct mpudp_net *mn = mpudp_net(genl_info_net(info));
	struct nlattr *tb[MPUDP_A_TUNNEL_MAX + 1], *nest, *bad;
	const struct mpudp_sched_ops *sched;
	struct mpudp_tunnel *t;
	struct sk_buff *msg;
	u32 max_hold;
	int err;
	u8 fec;

	nest = parse_nest(info, MPUDP_A_TUNNEL, MPUDP_A_TUNNEL_MAX,
			  mpudp_tunnel_policy, tb);
	if (IS_ERR(nest))
		return PTR_ERR(nest);
	bad = first_attr(tb, tunnel_immutable_attrs,
			 ARRAY_SIZE(tunnel_immutable_attrs));
	if (bad) {
		NL_SET_ERR_MSG_ATTR(info->extack, bad, "The addresses and ports of a tunnel cannot be changed");
		return -EOPNOTSUPP;
	}
	if (!tb[MPUDP_A_TUNNEL_SCHED] && !tb[MPUDP_A_TUNNEL_MAX_HOLD] &&
	    !tb[MPUDP_A_TUNNEL_FEC]) {
		NL_SET_ERR_ATTR_MISS(info->extack, nest, MPUDP_A_TUNNEL_SCHED);
		NL_SET_ERR_MSG(info->extack, "Nothing to change: give a scheduler, a hold time or FEC");
		return -EINVAL;
	}
	err = parse_max_hold(tb[MPUDP_A_TUNNEL_MAX_HOLD], &max_hold, info->extack) ?:
	      parse_fec(tb[MPUDP_A_TUNNEL_FEC], &fec, info->extack);
	if (err)
		return err;
	sched = NULL;
	if (tb[MPUDP_A_TUNNEL_SCHED]) {
		sched = parse_sched(tb[MPUDP_A_TUNNEL_SCHED], info->extack);
		if (IS_ERR(sched))
			return PTR_ERR(sched);
	}

	msg = genlmsg_new(tunnel_size(MPUDP_MAX_PATHS), GFP_KERNEL);
	if (!msg) {
		err = -ENOMEM;
		goto out_sched;
	}

	mutex_lock(&mn->lock);
	t = find_tunnel(mn, nest, tb, MPUDP_A_TUNNEL_ID, info->extack);
	err = PTR_ERR_OR_ZERO(t);
	if (!err) {
		if (sched)
			mpudp_tunnel_set_sched(t, sched);
		if (tb[MPUDP_A_TUNNEL_MAX_HOLD])
			mpudp_tunnel_set_max_hold(t, max_hold);
		if (tb[MPUDP_A_TUNNEL_FEC])
			mpudp_tunnel_set_fec(t, fec);
		err = tunnel_reply_fill(msg, t, info);
	}
	mutex_unlock(&mn->lock);
out_sched:
	if (sched)
		mpudp_sched_put(sched);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

static int mpudp_nl_tunnel_get(struct sk_buff *skb, struct genl_info *info)
{
	struct mpudp_net *mn = mpudp_net(genl_info_net(info));
	struct nlattr *tb[MPUDP_A_TUNNEL_MAX + 1], *nest;
	struct mpudp_tunnel *t;
	struct sk_buff *msg;
	int err;

	nest = parse_nest(info, MPUDP_A_TUNNEL, MPUDP_A_TUNNEL_MAX,
			  mpudp_tunnel_policy, tb);
	if (IS_ERR(nest))
		return PTR_ERR(nest);

	msg = genlmsg_new(tunnel_size(MPUDP_MAX_PATHS), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&mn->lock);
	t = find_tunnel(mn, nest, tb, MPUDP_A_TUNNEL_ID, info->extack);
	err = PTR_ERR_OR_ZERO(t) ?: tunnel_reply_fill(msg, t, info);
	mutex_unlock(&mn->lock);

	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* A tunnel with every path must fit in the first message of a dump. */
static int mpudp_nl_tunnel_dump_start(struct netlink_callback *cb)
{
	cb->min_dump_alloc = NLMSG_HDRLEN + GENL_HDRLEN +
			     tunnel_size(MPUDP_MAX_PATHS);
	return 0;
}

/* cb->args[0]: the id of the next tunnel to dump. */
static int mpudp_nl_tunnel_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct mpudp_net *mn = mpudp_net(sock_net(skb->sk));
	unsigned long id = cb->args[0];
	struct mpudp_tunnel *t;
	int err = 0;

	mutex_lock(&mn->lock);
	cb->seq = mn->gen;
	for (; (t = idr_get_next_ul(&mn->tunnel_ids, &id)); id++) {
		err = tunnel_fill(skb, t, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, NLM_F_MULTI,
				  MPUDP_CMD_TUNNEL_GET, cb);
		if (err)
			break;
	}
	mutex_unlock(&mn->lock);
	cb->args[0] = id;

	/* A tunnel that does not fit in an empty message never will. */
	if (err && !skb->len)
		return err;
	return skb->len;
}

/* Path commands */

static int mpudp_nl_path_new(struct sk_buff *skb, struct genl_info *info)
{
	struct mpudp_net *mn = mpudp_net(genl_info_net(info));
	struct nlattr *tb[MPUDP_A_PATH_MAX + 1], *nest;
	struct mpudp_path_cfg cfg = {};
	struct mpudp_tunnel *t;
	struct mpudp_path *p;
	struct sk_buff *msg;
	int err;

	nest = parse_nest(info, MPUDP_A_PATH, MPUDP_A_PATH_MAX,
			  mpudp_path_policy, tb);
	if (IS_ERR(nest))
		return PTR_ERR(nest);
	if (tb[MPUDP_A_PATH_ID]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[MPUDP_A_PATH_ID], "The kernel chooses the id of a new path");
		return -EINVAL;
	}
	err = parse_weight(tb[MPUDP_A_PATH_WEIGHT], 1, &cfg.weight, info->extack) ?:
	      parse_rate_cap(tb[MPUDP_A_PATH_RATE_CAP], 0, &cfg.rate_cap,
			     info->extack);
	if (err)
		return err;
	if (tb[MPUDP_A_PATH_FLAGS])
		cfg.flags = nla_get_u32(tb[MPUDP_A_PATH_FLAGS]);
	if (tb[MPUDP_A_PATH_IFINDEX])
		cfg.ifindex = nla_get_u32(tb[MPUDP_A_PATH_IFINDEX]);
	msg = genlmsg_new(path_size(), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&mn->lock);
	t = find_tunnel(mn, nest, tb, MPUDP_A_PATH_TUNNEL_ID, info->extack);
	if (IS_ERR(t)) {
		err = PTR_ERR(t);
		goto out;
	}
	err = parse_tuple(nest, tb, &path_tuple_attrs, &t->tuple, &cfg.tuple,
			  info->extack);
	if (err)
		goto out;
	if (!cfg.ifindex && ip_is_any(cfg.tuple.family, &cfg.tuple.local)) {
		NL_SET_ERR_ATTR_MISS(info->extack, nest, MPUDP_A_PATH_IFINDEX);
		NL_SET_ERR_MSG(info->extack, "A path needs a local address, a device or both");
		err = -EINVAL;
		goto out;
	}
	if (cfg.ifindex && !ifindex_exists(mn->net, cfg.ifindex)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[MPUDP_A_PATH_IFINDEX], "Unknown device");
		err = -ENODEV;
		goto out;
	}
	p = mpudp_path_create(t, &cfg, info->extack);
	err = PTR_ERR_OR_ZERO(p) ?: path_reply_fill(msg, p, info);
out:
	mutex_unlock(&mn->lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

static int mpudp_nl_path_del(struct sk_buff *skb, struct genl_info *info)
{
	struct mpudp_net *mn = mpudp_net(genl_info_net(info));
	struct nlattr *tb[MPUDP_A_PATH_MAX + 1], *nest;
	struct mpudp_path *p;

	nest = parse_nest(info, MPUDP_A_PATH, MPUDP_A_PATH_MAX,
			  mpudp_path_policy, tb);
	if (IS_ERR(nest))
		return PTR_ERR(nest);

	mutex_lock(&mn->lock);
	p = find_path(mn, nest, tb, info->extack);
	if (!IS_ERR(p))
		mpudp_path_remove(p);
	mutex_unlock(&mn->lock);
	return PTR_ERR_OR_ZERO(p);
}

static const int path_immutable_attrs[] = {
	MPUDP_A_PATH_IFINDEX, MPUDP_A_PATH_LOCAL_IPV4, MPUDP_A_PATH_LOCAL_IPV6,
	MPUDP_A_PATH_LOCAL_PORT, MPUDP_A_PATH_REMOTE_IPV4,
	MPUDP_A_PATH_REMOTE_IPV6, MPUDP_A_PATH_REMOTE_PORT,
};

static int mpudp_nl_path_set(struct sk_buff *skb, struct genl_info *info)
{
	struct mpudp_net *mn = mpudp_net(genl_info_net(info));
	struct nlattr *tb[MPUDP_A_PATH_MAX + 1], *nest, *bad;
	struct mpudp_path *p;
	struct sk_buff *msg;
	u32 weight, flags;
	u64 rate_cap;
	int err;

	nest = parse_nest(info, MPUDP_A_PATH, MPUDP_A_PATH_MAX,
			  mpudp_path_policy, tb);
	if (IS_ERR(nest))
		return PTR_ERR(nest);
	bad = first_attr(tb, path_immutable_attrs,
			 ARRAY_SIZE(path_immutable_attrs));
	if (bad) {
		NL_SET_ERR_MSG_ATTR(info->extack, bad, "Only the weight, the flags and the rate cap of a path can be changed");
		return -EOPNOTSUPP;
	}
	if (!tb[MPUDP_A_PATH_WEIGHT] && !tb[MPUDP_A_PATH_FLAGS] &&
	    !tb[MPUDP_A_PATH_RATE_CAP]) {
		NL_SET_ERR_ATTR_MISS(info->extack, nest, MPUDP_A_PATH_WEIGHT);
		NL_SET_ERR_MSG(info->extack, "Nothing to change: give a weight, flags or a rate cap");
		return -EINVAL;
	}
	msg = genlmsg_new(path_size(), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&mn->lock);
	p = find_path(mn, nest, tb, info->extack);
	if (IS_ERR(p)) {
		err = PTR_ERR(p);
		goto out;
	}
	err = parse_weight(tb[MPUDP_A_PATH_WEIGHT], p->weight, &weight,
			   info->extack) ?:
	      parse_rate_cap(tb[MPUDP_A_PATH_RATE_CAP], p->rate_cap, &rate_cap,
			     info->extack);
	if (err)
		goto out;
	flags = tb[MPUDP_A_PATH_FLAGS] ? nla_get_u32(tb[MPUDP_A_PATH_FLAGS]) :
					 p->flags;
	mpudp_path_set(p, weight, flags, rate_cap);
	err = path_reply_fill(msg, p, info);
out:
	mutex_unlock(&mn->lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

static int mpudp_nl_path_get(struct sk_buff *skb, struct genl_info *info)
{
	struct mpudp_net *mn = mpudp_net(genl_info_net(info));
	struct nlattr *tb[MPUDP_A_PATH_MAX + 1], *nest;
	struct mpudp_path *p;
	struct sk_buff *msg;
	int err;

	nest = parse_nest(info, MPUDP_A_PATH, MPUDP_A_PATH_MAX,
			  mpudp_path_policy, tb);
	if (IS_ERR(nest))
		return PTR_ERR(nest);
	msg = genlmsg_new(path_size(), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&mn->lock);
	p = find_path(mn, nest, tb, info->extack);
	err = PTR_ERR_OR_ZERO(p) ?: path_reply_fill(msg, p, info);
	mutex_unlock(&mn->lock);

	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* Dumps the paths of @t with an id of at least *@next. */
static int path_dump_tunnel(struct sk_buff *skb, struct netlink_callback *cb,
			    struct mpudp_tunnel *t, unsigned long *next)
{
	struct mpudp_path *p;
	int err;

	list_for_each_entry(p, &t->paths, node) {
		if (p->id < *next)
			continue;
		err = path_fill(skb, p, NETLINK_CB(cb->skb).portid,
				cb->nlh->nlmsg_seq, NLM_F_MULTI,
				MPUDP_CMD_PATH_GET, cb);
		if (err)
			return err;
		*next = p->id + 1;
	}
	*next = 0;
	return 0;
}

/*
 * A path dump covers every tunnel, or the one MPUDP_A_PATH_TUNNEL_ID names.
 * cb->args[0]: the id of the tunnel being dumped; cb->args[1]: the id of its
 * next path; cb->args[2]: the one tunnel to dump, or 0 for all; cb->args[3]:
 * whether the request was parsed. Parsed in the first round of the dump, not
 * in a start callback: only dump rounds report extended ACK messages on
 * every kernel we support.
 */
static int path_dump_parse(struct mpudp_net *mn, struct netlink_callback *cb)
{
	struct nlattr **attrs = mpudp_dump_attrs(cb);
	struct nlattr *tb[MPUDP_A_PATH_MAX + 1];
	struct mpudp_tunnel *t;
	int err;

	lockdep_assert_held(&mn->lock);

	cb->args[3] = 1;
	if (!attrs[MPUDP_A_PATH])
		return 0;
	err = nla_parse_nested(tb, MPUDP_A_PATH_MAX, attrs[MPUDP_A_PATH],
			       mpudp_path_policy, cb->extack);
	if (err || !tb[MPUDP_A_PATH_TUNNEL_ID])
		return err;
	t = find_tunnel(mn, attrs[MPUDP_A_PATH], tb, MPUDP_A_PATH_TUNNEL_ID,
			cb->extack);
	if (IS_ERR(t))
		return PTR_ERR(t);
	cb->args[0] = t->id;
	cb->args[2] = t->id;
	return 0;
}

static int mpudp_nl_path_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct mpudp_net *mn = mpudp_net(sock_net(skb->sk));
	struct mpudp_tunnel *t;
	unsigned long id;
	int err = 0;

	mutex_lock(&mn->lock);
	if (!cb->args[3]) {
		err = path_dump_parse(mn, cb);
		if (err) {
			mutex_unlock(&mn->lock);
			return err;
		}
	}
	cb->seq = mn->gen;
	for (id = cb->args[0]; (t = idr_get_next_ul(&mn->tunnel_ids, &id)); id++) {
		if (cb->args[2] && id != cb->args[2])
			break;
		err = path_dump_tunnel(skb, cb, t, &cb->args[1]);
		if (err)
			break;
	}
	mutex_unlock(&mn->lock);
	cb->args[0] = id;

	if (err && !skb->len)
		return err;
	return skb->len;
}

/* cb->args[0]: the index of the next scheduler to dump. */
static int mpudp_nl_sched_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct mpudp_sched_ops *ops;
	struct nlattr *nest;
	void *hdr;

	rcu_read_lock();
	for (; (ops = mpudp_sched_nth(cb->args[0])); cb->args[0]++) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &mpudp_genl_family,
				  NLM_F_MULTI, MPUDP_CMD_SCHED_GET);
		if (!hdr)
			break;
		nest = nla_nest_start(skb, MPUDP_A_SCHED);
		if (!nest ||
		    nla_put_string(skb, MPUDP_A_SCHED_NAME, ops->name)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		nla_nest_end(skb, nest);
		genlmsg_end(skb, hdr);
	}
	rcu_read_unlock();
	return skb->len;
}

static const struct genl_ops mpudp_genl_ops[] = {
	{
		.cmd	= MPUDP_CMD_TUNNEL_NEW,
		.doit	= mpudp_nl_tunnel_new,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= MPUDP_CMD_TUNNEL_DEL,
		.doit	= mpudp_nl_tunnel_del,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= MPUDP_CMD_TUNNEL_GET,
		.doit	= mpudp_nl_tunnel_get,
		.start	= mpudp_nl_tunnel_dump_start,
		.dumpit	= mpudp_nl_tunnel_dump,
	},
	{
		.cmd	= MPUDP_CMD_TUNNEL_SET,
		.doit	= mpudp_nl_tunnel_set,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= MPUDP_CMD_PATH_NEW,
		.doit	= mpudp_nl_path_new,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= MPUDP_CMD_PATH_DEL,
		.doit	= mpudp_nl_path_del,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= MPUDP_CMD_PATH_GET,
		.doit	= mpudp_nl_path_get,
		.dumpit	= mpudp_nl_path_dump,
	},
	{
		.cmd	= MPUDP_CMD_PATH_SET,
		.doit	= mpudp_nl_path_set,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= MPUDP_CMD_SCHED_GET,
		.dumpit	= mpudp_nl_sched_dump,
	},
};

enum {
	MPUDP_MCGRP_MONITOR_ID,
};

static const struct genl_multicast_group mpudp_mcgrps[] = {
	[MPUDP_MCGRP_MONITOR_ID] = { .name = MPUDP_MCGRP_MONITOR },
};

static struct genl_family mpudp_genl_family __ro_after_init = {
	.name		= MPUDP_GENL_NAME,
	.version	= MPUDP_GENL_VERSION,
	.maxattr	= MPUDP_A_MAX,
	.policy		= mpudp_policy,
	.netnsok	= true,
	.module		= THIS_MODULE,
	.ops		= mpudp_genl_ops,
	.n_ops		= ARRAY_SIZE(mpudp_genl_ops),
	.mcgrps		= mpudp_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(mpudp_mcgrps),
};

/*
 * Tells the monitor group that @p, or @t when @p is NULL, changed state.
 * Atomic context; a notification that cannot be allocated is lost, as
 * netlink notifications are, and the listener sees it in its socket error.
 */
static void notify_state(struct mpudp_tunnel *t, struct mpudp_path *p)
{
	struct net *net = t->mn->net;
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&mpudp_genl_family, net, MPUDP_MCGRP_MONITOR_ID))
		return;
	msg = genlmsg_new(2 * nla_total_size(0) + 3 * nla_total_size(sizeof(u32)),
			  GFP_ATOMIC);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &mpudp_genl_family, 0, MPUDP_CMD_STATE);
	if (!hdr)
		goto err;
	if (p) {
		nest = nla_nest_start(msg, MPUDP_A_PATH);
		if (!nest ||
		    nla_put_u32(msg, MPUDP_A_PATH_TUNNEL_ID, t->id) ||
		    nla_put_u32(msg, MPUDP_A_PATH_ID, p->id) ||
		    nla_put_u32(msg, MPUDP_A_PATH_STATE, READ_ONCE(p->mon.state)))
			goto err;
	} else {
		nest = nla_nest_start(msg, MPUDP_A_TUNNEL);
		if (!nest ||
		    nla_put_u32(msg, MPUDP_A_TUNNEL_ID, t->id) ||
		    nla_put_u32(msg, MPUDP_A_TUNNEL_STATE, READ_ONCE(t->state)))
			goto err;
	}
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&mpudp_genl_family, net, msg, 0,
				MPUDP_MCGRP_MONITOR_ID, GFP_ATOMIC);
	return;
err:
	nlmsg_free(msg);
}

void mpudp_nl_notify_path(struct mpudp_path *p)
{
	notify_state(p->tunnel, p);
}

void mpudp_nl_notify_tunnel(struct mpudp_tunnel *t)
{
	notify_state(t, NULL);
}

int mpudp_genl_init(void)
{
	return genl_register_family(&mpudp_genl_family);
}

void mpudp_genl_uninit(void)
{
	genl_unregister_family(&mpudp_genl_family);
}
