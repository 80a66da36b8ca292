#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Checks include/uapi/linux/mpudp.h and the kernel's netlink policies
against Documentation/netlink/specs/mpudp.yaml.

Every constant, flag, attribute and command of the spec must be in the header
with the same name and value, and nothing else; every attribute the kernel's
policies accept must have the type the spec gives it. Prints KTAP.
"""
import os
import re
import sys

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mpudp_uapi  # noqa: E402

TOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
SPEC = os.path.join(TOP, 'Documentation', 'netlink', 'specs', 'mpudp.yaml')
NETLINK_C = os.path.join(TOP, 'mpudp', 'netlink.c')


def c_name(*parts):
    return '_'.join(p.replace('-', '_').upper() for p in parts if p)


def expected_enum(entries, prefix, first):
    out, value = {}, first
    for e in entries:
        value = e.get('value', value)
        out[c_name(prefix.rstrip('-'), e['name'])] = value
        value += 1
    return out


def policy_types():
    """{attribute constant: policy text} from the policy tables."""
    text = open(NETLINK_C).read()
    return {m.group(1): m.group(2).strip() for m in
            re.finditer(r'\[(MPUDP_A_\w+)\]\s*=\s*([^\n]+),\n', text)}


def spec_policy(attr):
    t = attr['type']
    if t == 'nest':
        return 'NLA_POLICY_NESTED'
    if t == 'string':
        return '{ .type = NLA_NUL_STRING }'
    if t == 'binary':
        return 'NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr))'
    if t in ('u16', 'u32') and attr.get('byte-order') == 'big-endian':
        return '{ .type = NLA_BE%s }' % t[1:]
    if attr.get('enum-as-flags'):
        return 'NLA_POLICY_MASK(NLA_U32'
    return '{ .type = NLA_%s }' % t.upper()


def main():
    spec = yaml.safe_load(open(SPEC))
    enums, defines = mpudp_uapi.parse()
    checks = []  # (description, list of problems)

    problems = []
    for c in spec['definitions']:
        if c['type'] == 'const' and defines.get(c_name('mpudp', c['name'])) != c['value']:
            problems.append('MPUDP_%s is not %s' % (c_name(c['name']), c['value']))
    if defines.get('MPUDP_GENL_NAME') != spec['name']:
        problems.append('MPUDP_GENL_NAME is not "%s"' % spec['name'])
    for d in spec['definitions']:
        if d['type'] != 'enum':
            continue
        got = enums.get(d['enum-name'].replace('-', '_'), {})
        want = expected_enum(d['entries'], d['name-prefix'], 0)
        if got != want:
            problems.append('enum %s: %s, spec: %s' % (d['enum-name'], got, want))
    for g in spec.get('mcast-groups', {}).get('list', []):
        if defines.get(c_name('mpudp-mcgrp', g['name'])) != g['name']:
            problems.append('MPUDP_MCGRP_%s is not "%s"' % (c_name(g['name']), g['name']))
    for d in spec['definitions']:
        if d['type'] != 'flags':
            continue
        got = enums.get(d['enum-name'].replace('-', '_'), {})
        want = {c_name(d['name-prefix'].rstrip('-'), e['name']): 1 << i
                for i, e in enumerate(d['entries'])}
        if got != want:
            problems.append('enum %s: %s, spec: %s' % (d['enum-name'], got, want))
    checks.append(('constants, enums and flags', problems))

    policy = policy_types()
    for aset in spec['attribute-sets']:
        problems = []
        prefix = aset['name-prefix'].rstrip('-')
        ename = aset['enum-name'].replace('-', '_')
        members = enums.get(ename, {})
        got = {k: v for k, v in members.items() if not k.endswith('_MAX')}
        want = expected_enum(aset['attributes'], aset['name-prefix'], 1)
        if got != want:
            problems.append('enum %s: %s, spec: %s' % (ename, got, want))
        if members.get(c_name(prefix, 'max')) != max(want.values()):
            problems.append('%s is not the last attribute' % c_name(prefix, 'max'))
        for attr in aset['attributes']:
            cn = c_name(prefix, attr['name'])
            if cn in policy and not policy[cn].startswith(spec_policy(attr)):
                problems.append('policy of %s is %s, spec says %s' %
                                (cn, policy[cn], spec_policy(attr)))
        checks.append(('attribute set %s' % aset['name'], problems))

    spec_attrs = {c_name(a['name-prefix'].rstrip('-'), x['name'])
                  for a in spec['attribute-sets'] for x in a['attributes']}
    checks.append(('the kernel accepts no attribute the spec lacks',
                   ['%s is not in the spec' % a for a in sorted(set(policy) - spec_attrs)]))

    ops = spec['operations']
    ename = ops['enum-name'].replace('-', '_')
    got = {k: v for k, v in enums.get(ename, {}).items() if not k.endswith('_MAX')}
    want = expected_enum(ops['list'], ops['name-prefix'], 1)
    want[c_name(ops['name-prefix'].rstrip('-'), 'unspec')] = 0
    checks.append(('commands', [] if got == want else
                   ['enum %s: %s, spec: %s' % (ename, got, want)]))

    print('TAP version 13')
    failed = 0
    for i, (desc, problems) in enumerate(checks, 1):
        print('%s %d uAPI header matches the spec: %s' %
              ('not ok' if problems else 'ok', i, desc))
        for p in problems:
            print('# ' + p)
        failed += bool(problems)
    print('1..%d' % len(checks))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
