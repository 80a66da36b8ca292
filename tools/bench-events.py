#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Reads the module's trace events (mpudp/trace.h) as the tracefs text of
/sys/kernel/tracing/trace, e.g. the CELL-SYSTEM-RUN.events files of
BENCH_TRACE=events, and prints, for the tunnel that sent the most, a table
per time bin: what the scheduler gave each path (Mbit/s, datagrams, of
which parity), the longest virtual queue it saw then (ahead, ms), the
highest rate edpf tried above the monitor's estimate (boost, Mbit/s), and
the peer's last report of the path (queueing delay and standing queue, ms;
delivery rate, Mbit/s; loss, %). A trace of a module older than a field
shows "-" for it.

    tools/bench-events.py [--bin MS] [--from S] [--to S] [--tunnel NETNS:ID] FILE
"""
import argparse
import collections
import re
import sys

# tracefs text ("...: mpudp_send: ...") or perf script ("mpudp:mpudp_send:").
LINE = re.compile(r'\s(\d+\.\d+): (?:mpudp:)?(mpudp_send|mpudp_report): (.*)$')
# tracefs's header: events kept of those written (the oldest are overwritten).
KEPT = re.compile(r'^# entries-in-buffer/entries-written: (\d+)/(\d+)')


def parse(path):
    """Yields (time s, event, {field: int})."""
    with open(path, encoding='utf-8', errors='replace') as f:
        for line in f:
            m = KEPT.match(line)
            if m and m.group(1) != m.group(2):
                print(f'{path}: {m.group(1)} of {m.group(2)} events kept, '
                      'the first ones lost', file=sys.stderr)
            m = LINE.search(line)
            if not m:
                continue
            fields = {}
            for kv in m.group(3).split():
                if kv in ('data', 'parity'):
                    fields['parity'] = int(kv == 'parity')
                    continue
                k, _, v = kv.partition('=')
                try:
                    fields[k] = int(v)
                except ValueError:
                    pass
            yield float(m.group(1)), m.group(2), fields


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--bin', type=float, default=100, help='ms (100)')
    ap.add_argument('--from', dest='start', type=float, default=0,
                    help='s after the first event (0)')
    ap.add_argument('--to', type=float, default=None, help='s, likewise')
    ap.add_argument('--tunnel', help='NETNS:ID; default: the busiest sender')
    ap.add_argument('file')
    a = ap.parse_args(argv)
    if a.bin <= 0:
        ap.error('--bin must be above 0')

    events = list(parse(a.file))
    if not events:
        print(f'{a.file}: no mpudp events', file=sys.stderr)
        return 1
    sent = collections.Counter()
    for _, ev, f in events:
        if ev == 'mpudp_send':
            sent[(f['netns'], f['tunnel'])] += f['len']
    if a.tunnel:
        ns, _, tid = a.tunnel.partition(':')
        key = (int(ns), int(tid or 1))
    elif sent:
        key = sent.most_common(1)[0][0]
    else:
        print(f'{a.file}: no datagram sent', file=sys.stderr)
        return 1
    t0 = events[0][0]
    width = a.bin / 1000
    bins = collections.defaultdict(lambda: collections.defaultdict(
        lambda: {'bytes': 0, 'n': 0, 'parity': 0, 'ahead': 0, 'boost': 0}))
    # (a trace from before the boost field has none)
    boosts = any('boost' in f for _, ev, f in events if ev == 'mpudp_send')
    report = {}
    rows = []
    paths = {f['path'] for _, _, f in events
             if (f.get('netns'), f.get('tunnel')) == key}
    last_bin = None
    last_rel = 0.0

    def flush(b, end=None):
        row = [b]
        # The last bin ends with the last event.
        span = width if end is None else max(end - b * width, 1e-3)
        for p in sorted(paths):
            s = bins[b][p]
            r = report.get(p, {})
            row.append((s['bytes'] * 8 / span / 1e6, s['n'], s['parity'],
                        s['ahead'] / 1000,
                        s['boost'] / 1e6 if boosts else None,
                        r.get('queue', 0) / 1000,
                        # (None: a trace from before the standing queue)
                        r.get('standing', None if r else 0),
                        r.get('rate', 0) / 1e6, r.get('loss', 0) / 1e4))
        rows.append(row)

    for t, ev, f in events:
        if (f.get('netns'), f.get('tunnel')) != key:
            continue
        rel = t - t0
        inside = rel >= a.start and (a.to is None or rel <= a.to)
        if inside:
            b = int(rel / width)
            if last_bin is not None and b != last_bin:
                for k in range(last_bin, b):
                    flush(k)
            last_bin = b
            last_rel = rel
        if ev == 'mpudp_report':
            # Also before the window: the bins show the latest report.
            report[f['path']] = f
        elif inside:
            s = bins[b][f['path']]
            s['bytes'] += f['len']
            s['n'] += 1
            s['parity'] += f.get('parity', 0)
            s['ahead'] = max(s['ahead'], f['ahead'])
            s['boost'] = max(s['boost'], f.get('boost', 0))
    if last_bin is not None:
        flush(last_bin, last_rel)

    total = sum(sent.values())
    print(f'# {a.file}: netns {key[0]} tunnel {key[1]}, '
          f'{sent[key]} of {total} bytes sent; bins of {a.bin:g} ms')
    head = ['s']
    for p in sorted(paths):
        head += [f'p{p} Mbit/s', 'n', 'fec', 'ahead', 'boost', 'queue',
                 'standing', 'rate', 'loss%']
    print('\t'.join(head))
    for row in rows:
        out = [f'{row[0] * width:.2f}']
        for (mbit, n, fec, ahead, boost, queue, standing, rate,
             loss) in row[1:]:
            out += [f'{mbit:.1f}', str(n), str(fec), f'{ahead:.1f}',
                    '-' if boost is None else f'{boost:.1f}',
                    f'{queue:.1f}',
                    '-' if standing is None else f'{standing / 1000:.1f}',
                    f'{rate:.1f}', f'{loss:.2f}']
        print('\t'.join(out))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
