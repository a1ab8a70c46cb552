#!/usr/bin/env python3
"""tests/integration/network/fakedns.py - a fake upstream DNS server for the DNS suites.

Plays "the host's resolver" inside a test's own network namespace, so that forwarding is
tested without a packet leaving the machine. UDP on ADDR:53; answers A queries for the
names given as NAME=IPV4 with one record (TTL 60), NXDOMAIN for any other name, and writes
one line per query to LOG ("QNAME QTYPE") so a test can see what was forwarded.

    python3 fakedns.py 127.0.0.1 LOG outside.example=192.0.2.7 &

And a client that shows an answer exactly (busybox nslookup hides the rcode and the
flags): `fakedns.py query SERVER NAME [TYPE] [tcp]` prints "rcode=N aa=0|1 an=COUNT
A,A,..." (TYPE a number, 1 = A by default), or "no answer (WHY)" after 10 s or when a TCP
server closes without answering. FAKEDNS_TIMED=1 adds " after N s": the whole seconds from
sending the query to its answer, timed here, so that the time a loaded machine takes to
start this client is not counted.

Not a DNS implementation: it trusts what it reads (the test's own responder).
"""
import os
import socket
import struct
import sys
import time


def qname(msg, off):
    labels = []
    while msg[off]:
        n = msg[off]
        labels.append(msg[off + 1:off + 1 + n].decode())
        off += 1 + n
    return ".".join(labels).lower(), off + 1


def query(server, name, qtype=1, tcp=False):
    q = struct.pack("!HHHHHH", 0x4d52, 0x0100, 1, 0, 0, 0)
    for label in name.split("."):
        q += bytes([len(label)]) + label.encode()
    q += b"\0" + struct.pack("!HH", qtype, 1)
    # 10 s: the responder answers within 2 s (SERVFAIL when its upstream is silent); the
    # rest is room for a loaded machine
    t0 = time.monotonic()
    try:
        if tcp:
            s = socket.create_connection((server, 53), timeout=10)
            s.sendall(struct.pack("!H", len(q)) + q)
            head = s.recv(2)
            if len(head) < 2:
                print("no answer (closed)")
                return
            n, = struct.unpack("!H", head)
            msg = b""
            while len(msg) < n:
                more = s.recv(n - len(msg))
                if not more:
                    print("no answer (closed after %d of %d bytes)" % (len(msg), n))
                    return
                msg += more
        else:
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.settimeout(10)
            s.sendto(q, (server, 53))
            msg = s.recv(4096)
    except OSError as e:
        print("no answer (%s)" % e.__class__.__name__)
        return
    took = time.monotonic() - t0
    flags, qd, an = struct.unpack("!HHH", msg[2:8])
    off = 12
    for _ in range(qd):
        _, off = qname(msg, off)
        off += 4
    addrs = []
    for _ in range(an):
        off += 2 if msg[off] & 0xc0 == 0xc0 else len(qname(msg, off)[0]) + 2
        rtype, _, _, rdlen = struct.unpack("!HHIH", msg[off:off + 10])
        off += 10
        if rtype == 1:
            addrs.append(socket.inet_ntoa(msg[off:off + 4]))
        off += rdlen
    print("rcode=%d aa=%d an=%d %s" % (flags & 0xf, (flags >> 10) & 1, an, ",".join(sorted(addrs)))
          + (" after %d s" % took if os.environ.get("FAKEDNS_TIMED") else ""))


def main():
    if sys.argv[1] == "query":
        a = sys.argv[2:]
        query(a[0], a[1], int(a[2]) if len(a) > 2 else 1, len(a) > 3 and a[3] == "tcp")
        return
    addr, log = sys.argv[1], sys.argv[2]
    table = dict(a.split("=", 1) for a in sys.argv[3:])
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, 53))
    with open(log + ".ready", "w") as f:
        f.write("ready\n")
    while True:
        msg, peer = s.recvfrom(4096)
        name, end = qname(msg, 12)
        qtype, = struct.unpack("!H", msg[end:end + 2])
        with open(log, "a") as f:
            f.write("%s %d\n" % (name, qtype))
        question = msg[12:end + 4]
        ident = msg[:2]
        if name in table and qtype == 1:
            rr = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + socket.inet_aton(table[name])
            out = ident + struct.pack("!HHHHH", 0x8180, 1, 1, 0, 0) + question + rr
        elif name in table:
            out = ident + struct.pack("!HHHHH", 0x8180, 1, 0, 0, 0) + question
        else:
            out = ident + struct.pack("!HHHHH", 0x8183, 1, 0, 0, 0) + question
        s.sendto(out, peer)


main()
