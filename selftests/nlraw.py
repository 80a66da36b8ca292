#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Sends one raw request of the mpudp generic netlink family.

The selftests use it to send what mpudpctl never would (malformed, missing or
extra attributes) and to check the kernel's answer.

usage: nlraw.py COMMAND [ATTRS] [--dump] [--flags N]
       nlraw.py --batch < REQUESTS

COMMAND is a command name without its prefix (TUNNEL_NEW) or a number.
ATTRS is JSON: an object whose keys are attribute names without their prefix
(TUNNEL, then inside it LOCAL_IPV4...) or numbers, and whose values are
objects (nests) or strings "u8:N", "u16:N", "u32:N", "u64:N", "be16:N",
"be32:N", "ip4:ADDR", "ip6:ADDR", "str:TEXT" (NUL-terminated),
"bytes:TEXT" (not terminated), "hex:HEX", "flag:". A key "nonest:NAME" sends
a nest without NLA_F_NESTED.

Prints one line: "ok N" (N reply messages) or "error ERRNO MESSAGE", where
ERRNO is the symbolic name (EINVAL) and MESSAGE the extended ACK message.
Exits 0 when it got an answer.

With --batch, each line of the input is one request, its fields (COMMAND,
ATTRS, options) separated by tabs, and each gets its line of output: one
process for many requests (Python starts slowly in the test VM).
"""
import errno
import ipaddress
import json
import os
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mpudp_uapi  # noqa: E402

NETLINK_GENERIC = 16
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLM_F_REQUEST = 1
NLM_F_MULTI = 2
NLM_F_ACK = 4
NLM_F_DUMP = 0x300
NLMSG_ERROR = 2
NLMSG_DONE = 3
NLM_F_CAPPED = 0x100
NLM_F_ACK_TLVS = 0x200
NLMSGERR_ATTR_MSG = 1
NETLINK_EXT_ACK = 11
NETLINK_CAP_ACK = 10
SOL_NETLINK = 270
NLA_F_NESTED = 0x8000

ENUMS, DEFINES = mpudp_uapi.parse()

# Attribute set of each nest: (enclosing set, nest attribute) -> set.
NEST_SETS = {('mpudp_a', 'TUNNEL'): 'mpudp_a_tunnel',
             ('mpudp_a', 'PATH'): 'mpudp_a_path',
             ('mpudp_a', 'SCHED'): 'mpudp_a_sched',
             ('mpudp_a_tunnel', 'PATH'): 'mpudp_a_path'}
NEST_PREFIX = {'mpudp_a': 'MPUDP_A_', 'mpudp_a_tunnel': 'MPUDP_A_TUNNEL_',
               'mpudp_a_path': 'MPUDP_A_PATH_', 'mpudp_a_sched': 'MPUDP_A_SCHED_'}


def nla(atype, payload):
    hdr = struct.pack('HH', 4 + len(payload), atype)
    pad = b'\0' * ((4 - len(payload) % 4) % 4)
    return hdr + payload + pad


def encode_value(spec):
    kind, _, val = spec.partition(':')
    if kind == 'u8':
        return struct.pack('B', int(val, 0))
    if kind == 'u16':
        return struct.pack('H', int(val, 0))
    if kind == 'u32':
        return struct.pack('I', int(val, 0))
    if kind == 'u64':
        return struct.pack('Q', int(val, 0))
    if kind == 'be16':
        return struct.pack('>H', int(val, 0))
    if kind == 'be32':
        return struct.pack('>I', int(val, 0))
    if kind == 'ip4':
        return ipaddress.IPv4Address(val).packed
    if kind == 'ip6':
        return ipaddress.IPv6Address(val).packed
    if kind == 'str':
        return val.encode() + b'\0'
    if kind == 'bytes':
        return val.encode()
    if kind == 'hex':
        return bytes.fromhex(val)
    if kind == 'flag':
        return b''
    raise ValueError('unknown value kind %r' % kind)


def encode_attrs(obj, attr_set):
    out = b''
    for key, value in obj.items():
        nested_flag = NLA_F_NESTED
        if key.startswith('nonest:'):
            key = key[len('nonest:'):]
            nested_flag = 0
        if key.isdigit():
            atype, name = int(key), None
        else:
            name = key
            atype = ENUMS[attr_set][NEST_PREFIX[attr_set] + key]
        if isinstance(value, dict):
            inner = NEST_SETS.get((attr_set, name), attr_set)
            out += nla(atype | nested_flag, encode_attrs(value, inner))
        else:
            out += nla(atype, encode_value(value))
    return out


def msg(mtype, flags, seq, cmd, payload):
    body = struct.pack('BBH', cmd, 1, 0) + payload
    return struct.pack('IHHII', 16 + len(body), mtype, flags, seq, 0) + body


def parse_attrs(data):
    attrs = {}
    while len(data) >= 4:
        alen, atype = struct.unpack_from('HH', data)
        if alen < 4:
            break
        attrs[atype & 0x3fff] = data[4:alen]
        data = data[(alen + 3) & ~3:]
    return attrs


def talk(sock, mtype, flags, cmd, payload):
    """Returns (error, extack message, list of reply payloads)."""
    seq = talk.seq = getattr(talk, 'seq', 0) + 1
    sock.send(msg(mtype, flags, seq, cmd, payload))
    replies = []
    while True:
        data = sock.recv(1 << 16)
        while len(data) >= 16:
            mlen, mt, mflags, mseq, _ = struct.unpack_from('IHHII', data)
            body = data[16:mlen]
            data = data[(mlen + 3) & ~3:]
            if mt == NLMSG_ERROR or (mt == NLMSG_DONE and len(body) >= 4 and
                                     struct.unpack_from('i', body)[0] < 0):
                err = -struct.unpack_from('i', body)[0]
                if mt == NLMSG_ERROR:
                    off = 4 + (16 if mflags & NLM_F_CAPPED else
                               struct.unpack_from('I', body, 4)[0])
                else:
                    off = 4
                ext = parse_attrs(body[off:]) if mflags & NLM_F_ACK_TLVS else {}
                text = ext.get(NLMSGERR_ATTR_MSG, b'').rstrip(b'\0').decode()
                if mt == NLMSG_ERROR and err == 0:
                    return 0, '', replies
                return err, text, replies
            if mt == NLMSG_DONE:
                return 0, '', replies
            replies.append(body[4:])


def open_family():
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    sock.bind((0, 0))
    sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
    sock.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
    err, text, replies = talk(sock, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK,
                              CTRL_CMD_GETFAMILY,
                              nla(CTRL_ATTR_FAMILY_NAME, DEFINES['MPUDP_GENL_NAME'].encode() + b'\0'))
    if err or not replies:
        print('error %s family lookup: %s' % (errno.errorcode.get(err, err), text))
        sys.exit(1)
    return sock, struct.unpack('H', parse_attrs(replies[0])[CTRL_ATTR_FAMILY_ID][:2])[0]


def request(sock, family, argv):
    dump = False
    flags = NLM_F_REQUEST | NLM_F_ACK
    args = []
    while argv:
        opt = argv.pop(0)
        if opt == '--dump':
            dump = True
        elif opt == '--flags':
            flags |= int(argv.pop(0), 0)
        else:
            args.append(opt)
    argv = args
    cmdname = argv[0]
    cmd = int(cmdname) if cmdname.isdigit() else ENUMS['mpudp_cmd']['MPUDP_CMD_' + cmdname]
    attrs = json.loads(argv[1]) if len(argv) > 1 and argv[1] else {}
    if dump:
        flags |= NLM_F_DUMP
    err, text, replies = talk(sock, family, flags, cmd, encode_attrs(attrs, 'mpudp_a'))
    if err:
        print('error %s %s' % (errno.errorcode.get(err, err), text))
    else:
        print('ok %d' % len(replies))


def main(argv):
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    sock, family = open_family()
    if argv == ['--batch']:
        for line in sys.stdin:
            fields = line.rstrip('\n').split('\t')
            if len(fields) > 2:
                fields = fields[:2] + fields[2].split()
            request(sock, family, fields)
    else:
        request(sock, family, argv)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
