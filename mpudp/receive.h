/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MPUDP_RECEIVE_H
#define _MPUDP_RECEIVE_H

#include <linux/hrtimer.h>
#include <linux/skbuff.h>

struct mpudp_path;

unsigned int mpudp_receive(struct mpudp_path *p, struct sk_buff *skb,
			   unsigned int off);
enum hrtimer_restart mpudp_rx_timer(struct hrtimer *timer);
void mpudp_rx_drop_list(struct sk_buff_head *list);

#endif /* _MPUDP_RECEIVE_H */
