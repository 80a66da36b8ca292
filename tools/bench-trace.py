#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Reads the traces of a benchmark run made with BENCH_TRACE=1.

usage: tools/bench-trace.py [--rows N] TRACE...

A trace (tools/bench-compare-guest.sh, trace_start) holds, every 20 ms or
so, the sender's netem queue on each path and the download's TCP state.
For each trace this prints:
  - when slow start ended (ssthresh first set), at what congestion window,
    and how: HyStart's delay or ack-train test, or a loss;
  - the TCP counters of losses and recoveries;
  - a table of N rows (default 40) over the download: the congestion window
    and ssthresh (segments), the smoothed RTT (ms), the retransmissions so
    far, the goodput since the previous row (Mbit/s, from bytes_acked), and
    per path its queue (packets) and drops so far.
"""
import argparse
import re
import sys


def parse(path):
    """Samples (dicts) and the counters ({name: value}) of a trace file."""
    samples, counters = [], {}
    cur, dev = None, None
    with open(path, errors='replace') as f:
        for line in f:
            if line.startswith('T '):
                try:
                    cur = {'t': float(line.split()[1]), 'queue': {}, 'drops': {}}
                except (IndexError, ValueError):
                    cur = None
                    continue
                samples.append(cur)
                dev = None
                continue
            if line.startswith('C '):
                parts = line.split()
                if len(parts) == 3 and parts[2].isdigit():
                    counters[parts[1]] = int(parts[2])
                continue
            if cur is None:
                continue
            m = re.match(r'qdisc \S+ \S+: dev (\S+)', line)
            if m:
                dev = m.group(1)
                continue
            m = re.search(r'dropped (\d+)', line)
            if m and dev:
                cur['drops'][dev] = int(m.group(1))
            m = re.search(r'backlog \S+ (\d+)p', line)
            if m and dev:
                cur['queue'][dev] = int(m.group(1))
            for key, pat in (('cwnd', r'\bcwnd:(\d+)'), ('ssthresh', r'\bssthresh:(\d+)'),
                             ('retrans', r'\bretrans:\d+/(\d+)'),
                             ('acked', r'\bbytes_acked:(\d+)')):
                m = re.search(pat, line)
                if m:
                    cur[key] = int(m.group(1))
            m = re.search(r'\brtt:([\d.]+)/', line)
            if m:
                cur['rtt'] = float(m.group(1))
    return [s for s in samples if 'cwnd' in s], counters


def report(path, rows):
    samples, counters = parse(path)
    print('==', path)
    if not samples:
        print('no samples of the download')
        return
    t0 = samples[0]['t']
    end = next((s for s in samples if 'ssthresh' in s), None)
    if end is None:
        print('slow start did not end')
    else:
        how = [k for k in ('TcpExtTCPHystartDelayDetect', 'TcpExtTCPHystartTrainDetect')
               if counters.get(k)]
        if end.get('retrans', 0):
            how.append('retransmissions')
        print('slow start ended at %.2f s, ssthresh %d; by: %s' %
              (end['t'] - t0, end['ssthresh'], ', '.join(how) or 'a loss'))
    if counters:
        print('counters: ' + ' '.join('%s=%d' % (k.replace('TcpExt', ''), v)
                                      for k, v in sorted(counters.items())))
    devs = sorted({d for s in samples for d in s['queue']})
    print('%6s %5s %8s %7s %5s %6s  %s' % ('t(s)', 'cwnd', 'ssthresh', 'rtt', 'retr',
                                          'Mbit/s', '  '.join('%s q/drops' % d for d in devs)))
    step = max(1, len(samples) // max(rows, 1))
    prev = samples[0]
    for s in samples[::step]:
        dt = s['t'] - prev['t']
        rate = (s.get('acked', 0) - prev.get('acked', 0)) * 8 / dt / 1e6 if dt > 0 else 0
        prev = s
        print('%6.2f %5d %8s %7.1f %5d %6.1f  %s' % (
            s['t'] - t0, s['cwnd'], s.get('ssthresh', '-'), s.get('rtt', 0),
            s.get('retrans', 0), rate,
            '  '.join('%4d/%-5d' % (s['queue'].get(d, 0), s['drops'].get(d, 0))
                      for d in devs)))


def main():
    ap = argparse.ArgumentParser(description='Reads BENCH_TRACE=1 traces.')
    ap.add_argument('--rows', type=int, default=40)
    ap.add_argument('traces', nargs='+')
    args = ap.parse_args()
    for path in args.traces:
        try:
            report(path, args.rows)
        except OSError as e:
            print('%s: %s' % (path, e), file=sys.stderr)
            return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
