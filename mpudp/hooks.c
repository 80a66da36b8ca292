// SPDX-License-Identifier: GPL-2.0
/*
 * The netfilter hooks that catch a tunnel's datagrams: LOCAL_OUT for what the
 * VPN sends, LOCAL_IN for what arrives, for IPv4 and IPv6. They classify and
 * hand off to send.c and receive.c; they decide nothing themselves.
 *
 * They are registered per network namespace while it has tunnels, so a
 * namespace without MPUDP pays nothing. LOCAL_OUT sees the VPN's datagram
 * before conntrack and the raw table; send.c sends it again through
 * LOCAL_OUT with the path's addresses, so that firewall rules and conntrack
 * see what goes on the wire; a per-CPU flag keeps this hook out of that
 * second pass. LOCAL_IN runs after the filter table (which sees the path's
 * addresses) and after reassembly: IPv4 reassembles before LOCAL_IN, and
 * nf_defrag_ipv6 does it for IPv6.
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>

#include "hooks.h"
#include "netns.h"
#include "path.h"
#include "receive.h"
#include "send.h"
#include "tunnel.h"

/* Set while send.c hands a datagram to ip(6)_local_out() on this CPU. */
static DEFINE_PER_CPU(bool, mpudp_nested);

bool mpudp_hooks_nested(void)
{
	return this_cpu_read(mpudp_nested);
}

/* Must be called with BHs disabled, so that nothing else runs on this CPU. */
void mpudp_hooks_set_nested(bool nested)
{
	this_cpu_write(mpudp_nested, nested);
}

/* Fills @key with the 4-tuple of a UDP datagram, as this host sees it. */
static void tuple_out4(struct mpudp_tuple *key, const struct iphdr *iph,
		       const struct udphdr *uh)
{
	memset(key, 0, sizeof(*key));
	key->family = AF_INET;
	key->local.v4 = iph->saddr;
	key->remote.v4 = iph->daddr;
	key->local_port = uh->source;
	key->remote_port = uh->dest;
}

static void tuple_in4(struct mpudp_tuple *key, const struct iphdr *iph,
		      const struct udphdr *uh)
{
	memset(key, 0, sizeof(*key));
	key->family = AF_INET;
	key->local.v4 = iph->daddr;
	key->remote.v4 = iph->saddr;
	key->local_port = uh->dest;
	key->remote_port = uh->source;
}

static void tuple_out6(struct mpudp_tuple *key, const struct ipv6hdr *ip6h,
		       const struct udphdr *uh)
{
	memset(key, 0, sizeof(*key));
	key->family = AF_INET6;
	key->local.v6 = ip6h->saddr;
	key->remote.v6 = ip6h->daddr;
	key->local_port = uh->source;
	key->remote_port = uh->dest;
}

static void tuple_in6(struct mpudp_tuple *key, const struct ipv6hdr *ip6h,
		      const struct udphdr *uh)
{
	memset(key, 0, sizeof(*key));
	key->family = AF_INET6;
	key->local.v6 = ip6h->daddr;
	key->remote.v6 = ip6h->saddr;
	key->local_port = uh->dest;
	key->remote_port = uh->source;
}

/*
 * Returns the offset of the UDP header of an IPv4 datagram that is not a
 * fragment and whose UDP header is in the linear area, or 0.
 */
static unsigned int udp_offset4(struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	unsigned int off = iph->ihl * 4;

	if (iph->protocol != IPPROTO_UDP || ip_is_fragment(iph) ||
	    !pskb_may_pull(skb, off + sizeof(struct udphdr)))
		return 0;
	return off;
}

/* As udp_offset4(); IPv6 datagrams with extension headers are not ours. */
static unsigned int udp_offset6(struct sk_buff *skb)
{
	unsigned int off = sizeof(struct ipv6hdr);

	if (ipv6_hdr(skb)->nexthdr != IPPROTO_UDP ||
	    !pskb_may_pull(skb, off + sizeof(struct udphdr)))
		return 0;
	return off;
}

static unsigned int mpudp_out(struct sk_buff *skb,
			      const struct nf_hook_state *state, bool v6)
{
	struct mpudp_tunnel *t;
	struct mpudp_tuple key;
	unsigned int off;

	if (mpudp_hooks_nested())
		return NF_ACCEPT;
	off = v6 ? udp_offset6(skb) : udp_offset4(skb);
	if (!off)
		return NF_ACCEPT;
	if (v6)
		tuple_out6(&key, ipv6_hdr(skb), (struct udphdr *)(skb->data + off));
	else
		tuple_out4(&key, ip_hdr(skb), (struct udphdr *)(skb->data + off));
	t = mpudp_tunnel_lookup(mpudp_net(state->net), &key);
	if (!t)
		return NF_ACCEPT;
	return mpudp_send(t, skb, state, off);
}

static unsigned int mpudp_in(struct sk_buff *skb,
			     const struct nf_hook_state *state, bool v6)
{
	struct mpudp_tuple key;
	struct mpudp_path *p;
	unsigned int off;

	off = v6 ? udp_offset6(skb) : udp_offset4(skb);
	if (!off)
		return NF_ACCEPT;
	if (v6)
		tuple_in6(&key, ipv6_hdr(skb), (struct udphdr *)(skb->data + off));
	else
		tuple_in4(&key, ip_hdr(skb), (struct udphdr *)(skb->data + off));
	p = mpudp_path_lookup_rx(mpudp_net(state->net), &key);
	if (!p)
		return NF_ACCEPT;
	return mpudp_receive(p, skb, off);
}

static unsigned int mpudp_out4(void *priv, struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	return mpudp_out(skb, state, false);
}

static unsigned int mpudp_out6(void *priv, struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	return mpudp_out(skb, state, true);
}

static unsigned int mpudp_in4(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state)
{
	return mpudp_in(skb, state, false);
}

static unsigned int mpudp_in6(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state)
{
	return mpudp_in(skb, state, true);
}

static const struct nf_hook_ops mpudp_nf_ops[] = {
	{
		.hook		= mpudp_out4,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_LOCAL_OUT,
		.priority	= NF_IP_PRI_RAW - 10,
	},
	{
		.hook		= mpudp_in4,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_LOCAL_IN,
		.priority	= NF_IP_PRI_FILTER + 10,
	},
	{
		.hook		= mpudp_out6,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_LOCAL_OUT,
		.priority	= NF_IP6_PRI_RAW - 10,
	},
	{
		.hook		= mpudp_in6,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_LOCAL_IN,
		.priority	= NF_IP6_PRI_FILTER + 10,
	},
};

int mpudp_hooks_register(struct net *net)
{
	int err;

	err = nf_defrag_ipv6_enable(net);
	if (err)
		return err;
	err = nf_register_net_hooks(net, mpudp_nf_ops, ARRAY_SIZE(mpudp_nf_ops));
	if (err)
		nf_defrag_ipv6_disable(net);
	return err;
}

/* Returns when no hook runs any more. */
void mpudp_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, mpudp_nf_ops, ARRAY_SIZE(mpudp_nf_ops));
	nf_defrag_ipv6_disable(net);
}
