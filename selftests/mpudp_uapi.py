# SPDX-License-Identifier: GPL-2.0
"""Reads the enums and defines of include/uapi/linux/mpudp.h.

The selftests use it to speak netlink by attribute name, and the uAPI check
compares it with Documentation/netlink/specs/mpudp.yaml.
"""
import os
import re

HEADER = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..',
                      'include', 'uapi', 'linux', 'mpudp.h')


def _strip_comments(text):
    text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
    return re.sub(r'//[^\n]*', '', text)


def _value(expr, known):
    expr = expr.strip()
    for name in sorted(known, key=len, reverse=True):
        expr = re.sub(r'\b%s\b' % name, str(known[name]), expr)
    if not re.fullmatch(r'[0-9()<>+\- ]+', expr):
        raise ValueError('cannot evaluate %r' % expr)
    return int(eval(expr))  # only digits and operators remain


def parse(path=HEADER):
    """Returns ({enum name: {member: value}}, {define: value})."""
    text = _strip_comments(open(path).read())
    defines = {}
    for m in re.finditer(r'^#define\s+(MPUDP_\w+)\s+(.+)$', text, re.M):
        val = m.group(2).strip()
        if val.startswith('"'):
            defines[m.group(1)] = val.strip('"')
        else:
            defines[m.group(1)] = _value(val, {})
    enums = {}
    for m in re.finditer(r'enum\s+(\w+)\s*\{(.*?)\}', text, re.S):
        members, known, nxt = {}, {}, 0
        for item in m.group(2).split(','):
            item = item.strip()
            if not item:
                continue
            if '=' in item:
                name, expr = (s.strip() for s in item.split('=', 1))
                nxt = _value(expr, known)
            else:
                name = item
            members[name] = nxt
            known[name] = nxt
            nxt += 1
        enums[m.group(1)] = members
    return enums, defines
