/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MPUDP_HOOKS_H
#define _MPUDP_HOOKS_H

struct net;

int mpudp_hooks_register(struct net *net);
void mpudp_hooks_unregister(struct net *net);
bool mpudp_hooks_nested(void);
void mpudp_hooks_set_nested(bool nested);

#endif /* _MPUDP_HOOKS_H */
