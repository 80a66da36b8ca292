/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MPUDP_SEND_H
#define _MPUDP_SEND_H

#include <linux/netfilter.h>

struct mpudp_path;
struct mpudp_tunnel;

unsigned int mpudp_send(struct mpudp_tunnel *t, struct sk_buff *skb,
			const struct nf_hook_state *state, unsigned int off);
void mpudp_send_probe(struct mpudp_tunnel *t, struct mpudp_path *p,
		      const void *body, unsigned int len);
void mpudp_send_fec_flush(struct mpudp_tunnel *t);

#endif /* _MPUDP_SEND_H */
