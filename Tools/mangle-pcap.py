#!/usr/bin/env python3
"""Writes a deterministically damaged copy of a pcap: reordered, duplicated and dropped TCP data.

Usage:
    mangle-pcap.py IN OUT [--reorder P] [--hold LO-HI] [--duplicate P] [--drop P] [--seed N]

Only TCP *data* segments (payload length > 0, taken from the IP length so Ethernet padding does
not count) are touched; handshakes, pure ACKs, FINs and RSTs pass unchanged. For each data
segment, in this order and with one pseudo-random draw each (random.Random(seed)):
  --drop P       the segment is removed (a gap the receiver never saw filled);
  --reorder P    the segment is held back and written after the next LO..HI packets (--hold,
                 default 1-3), as if it arrived late;
  --duplicate P  a second copy is written right after it (a retransmission).
A held packet keeps its bytes; its timestamp becomes that of the packet before it, so the file's
timestamps stay non-decreasing as in a real capture. The first packet of every connection is
never touched, which keeps Wireshark's tcp.stream numbering identical to the clean file.

Reads classic pcap (either byte order, micro- or nanosecond) and writes the same format; reads
pcapng (one link type across its interfaces) and writes a nanosecond pcap.
Link types: Ethernet (with 802.1Q/802.1ad tags), Linux SLL and SLL2, BSD loopback/NULL, raw IP;
others are copied unchanged.
Prints the counts to stderr. Stdlib only.
"""

from __future__ import annotations

import argparse
import random
import struct
import sys
from dataclasses import dataclass

LINK_NULL, LINK_ETHERNET, LINK_RAW, LINK_RAW_OLD = 0, 1, 101, 12
LINK_LOOP, LINK_SLL, LINK_IPV4, LINK_IPV6, LINK_SLL2 = 108, 113, 228, 229, 276
ETHERTYPE_IPV4, ETHERTYPE_IPV6 = 0x0800, 0x86DD
VLAN_TYPES = (0x8100, 0x88A8, 0x9100)
IPV6_EXTENSIONS = (0, 43, 60)  # hop-by-hop, routing, destination options: skippable
PROTO_TCP = 6


@dataclass
class Packet:
    """One record: header fields and the captured bytes."""

    seconds: int
    fraction: int
    original_length: int
    data: bytes


def read_pcap(path: str) -> tuple[bytes, str, int, list[Packet]]:
    """Returns (global header, struct byte order, link type, packets)."""
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 24:
        raise SystemExit(f"mangle-pcap.py: {path}: too short for a pcap header")
    magic = blob[:4]
    if magic == b"\x0a\x0d\x0d\x0a":
        return read_pcapng(path, blob)
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        order = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        order = ">"
    else:
        raise SystemExit(f"mangle-pcap.py: {path}: not a pcap file (magic {magic.hex()})")
    linktype = struct.unpack(order + "I", blob[20:24])[0] & 0x0FFFFFFF
    packets = []
    offset = 24
    while offset + 16 <= len(blob):
        sec, frac, incl, orig = struct.unpack(order + "IIII", blob[offset:offset + 16])
        offset += 16
        if offset + incl > len(blob):
            print(f"mangle-pcap.py: {path}: last record truncated, ignored", file=sys.stderr)
            break
        packets.append(Packet(sec, frac, orig, blob[offset:offset + incl]))
        offset += incl
    return blob[:24], order, linktype, packets


def read_pcapng(path: str, blob: bytes) -> tuple[bytes, str, int, list[Packet]]:
    """Reads Enhanced and Simple Packet Blocks of a pcapng file whose interfaces all share one
    link type; returns them as a nanosecond pcap would hold them (header, "<", link type)."""
    def fail(why: str) -> SystemExit:
        return SystemExit(f"mangle-pcap.py: {path}: {why}; convert with: editcap -F pcap IN OUT")

    order, offset = "<", 0
    interfaces: list[tuple[int, int, int]] = []  # (link type, snaplen, ticks per second)
    packets: list[Packet] = []
    last_ns = 0
    while offset + 12 <= len(blob):
        if blob[offset:offset + 4] == b"\x0a\x0d\x0d\x0a":  # section header: byte order
            bom = blob[offset + 8:offset + 12]
            order = "<" if bom == b"\x4d\x3c\x2b\x1a" else ">"
            interfaces = []
        block_type, length = struct.unpack(order + "II", blob[offset:offset + 8])
        if length < 12 or length % 4 or offset + length > len(blob):
            raise fail(f"bad block length {length} at offset {offset}")
        body = blob[offset + 8:offset + length - 4]
        if block_type == 1 and len(body) >= 8:  # interface description
            linktype, _, snaplen = struct.unpack(order + "HHI", body[:8])
            ticks, opt = 10**6, 8
            while opt + 4 <= len(body):
                code, olen = struct.unpack(order + "HH", body[opt:opt + 4])
                if code == 0:
                    break
                if code == 9 and olen >= 1:  # if_tsresol
                    v = body[opt + 4]
                    ticks = 2 ** (v & 0x7F) if v & 0x80 else 10 ** v
                opt += 4 + (olen + 3) // 4 * 4
            interfaces.append((linktype, snaplen, ticks))
        elif block_type == 6 and len(body) >= 20:  # enhanced packet
            iface, high, low, incl, orig = struct.unpack(order + "IIIII", body[:20])
            if iface >= len(interfaces) or 20 + incl > len(body):
                raise fail(f"bad enhanced packet block at offset {offset}")
            last_ns = ((high << 32) | low) * 10**9 // interfaces[iface][2]
            packets.append(Packet(last_ns // 10**9, last_ns % 10**9, orig, body[20:20 + incl]))
        elif block_type == 3 and len(body) >= 4 and interfaces:  # simple packet: no timestamp
            orig = struct.unpack(order + "I", body[:4])[0]
            incl = min(orig, interfaces[0][1] or orig, len(body) - 4)
            packets.append(Packet(last_ns // 10**9, last_ns % 10**9, orig, body[4:4 + incl]))
        offset += length
    linktypes = {i[0] for i in interfaces}
    if len(linktypes) != 1:
        raise fail(f"needs exactly one link type across interfaces, found {sorted(linktypes)}")
    linktype = linktypes.pop()
    snaplen = max(i[1] for i in interfaces) or 262144
    header = struct.pack("<IHHiIII", 0xA1B23C4D, 2, 4, 0, 0, snaplen, linktype)
    return header, "<", linktype, packets


def network_layer(linktype: int, data: bytes) -> tuple[int, int] | None:
    """Returns (ethertype, offset of the IP header) or None for other traffic."""
    if linktype == LINK_ETHERNET:
        if len(data) < 14:
            return None
        etype, off = struct.unpack(">H", data[12:14])[0], 14
        while etype in VLAN_TYPES and len(data) >= off + 4:
            etype, off = struct.unpack(">H", data[off + 2:off + 4])[0], off + 4
        return etype, off
    if linktype == LINK_SLL:
        return (struct.unpack(">H", data[14:16])[0], 16) if len(data) >= 16 else None
    if linktype == LINK_SLL2:
        return (struct.unpack(">H", data[0:2])[0], 20) if len(data) >= 20 else None
    if linktype in (LINK_NULL, LINK_LOOP):
        if len(data) < 4:
            return None
        family = struct.unpack("<I", data[:4])[0]
        if family > 0xFFFF:  # written in the other byte order
            family = struct.unpack(">I", data[:4])[0]
        if family == 2:
            return ETHERTYPE_IPV4, 4
        return (ETHERTYPE_IPV6, 4) if family in (10, 24, 28, 30) else None
    if linktype in (LINK_RAW, LINK_RAW_OLD, LINK_IPV4, LINK_IPV6):
        if not data:
            return None
        version = data[0] >> 4
        return ({4: ETHERTYPE_IPV4, 6: ETHERTYPE_IPV6}.get(version, 0), 0)
    return None


def tcp_segment(linktype: int, data: bytes) -> tuple[tuple, int] | None:
    """Returns (connection key, payload length) for a TCP segment, else None.

    The key is the unordered pair of endpoints, so both directions share it."""
    found = network_layer(linktype, data)
    if found is None:
        return None
    etype, off = found
    if etype == ETHERTYPE_IPV4:
        if len(data) < off + 20 or data[off] >> 4 != 4:
            return None
        ihl = (data[off] & 0x0F) * 4
        total = struct.unpack(">H", data[off + 2:off + 4])[0]
        flags_frag = struct.unpack(">H", data[off + 6:off + 8])[0]
        if data[off + 9] != PROTO_TCP or ihl < 20 or flags_frag & 0x3FFF:
            return None  # not TCP, or a fragment: leave it alone
        src, dst = data[off + 12:off + 16], data[off + 16:off + 20]
        tcp_off, ip_end = off + ihl, off + total
    elif etype == ETHERTYPE_IPV6:
        if len(data) < off + 40 or data[off] >> 4 != 6:
            return None
        next_header = data[off + 6]
        ip_end = off + 40 + struct.unpack(">H", data[off + 4:off + 6])[0]
        src, dst = data[off + 8:off + 24], data[off + 24:off + 40]
        tcp_off = off + 40
        while next_header in IPV6_EXTENSIONS:
            if len(data) < tcp_off + 8:
                return None
            next_header, tcp_off = data[tcp_off], tcp_off + (data[tcp_off + 1] + 1) * 8
        if next_header != PROTO_TCP:
            return None
    else:
        return None
    if len(data) < tcp_off + 20:
        return None
    sport, dport = struct.unpack(">HH", data[tcp_off:tcp_off + 4])
    tcp_len = (data[tcp_off + 12] >> 4) * 4
    payload = max(0, ip_end - tcp_off - tcp_len)
    key = tuple(sorted(((src, sport), (dst, dport))))
    return key, payload


def parse_hold(text: str) -> tuple[int, int]:
    lo_text, _, hi_text = text.partition("-")
    lo, hi = int(lo_text), int(hi_text or lo_text)
    if lo < 1 or hi < lo:
        raise argparse.ArgumentTypeError("--hold wants LO-HI with 1 <= LO <= HI")
    return lo, hi


def probability(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("a probability is between 0 and 1")
    return value


def mangle(linktype: int, packets: list[Packet], args: argparse.Namespace) -> tuple[list[Packet], dict[str, int]]:
    rng = random.Random(args.seed)
    counts = {"in": len(packets), "data": 0, "dropped": 0, "reordered": 0, "duplicated": 0}
    seen_flows: set[tuple] = set()
    out: list[Packet] = []
    held: list[list] = []  # [packets still to pass before release, packet]

    def emit(packet: Packet) -> None:
        if out:
            last = out[-1]
            if (packet.seconds, packet.fraction) < (last.seconds, last.fraction):
                packet = Packet(last.seconds, last.fraction, packet.original_length, packet.data)
        out.append(packet)

    def emit_counting(packet: Packet) -> None:
        emit(packet)
        for entry in held:
            entry[0] -= 1
        for entry in [e for e in held if e[0] <= 0]:
            held.remove(entry)
            emit(entry[1])

    for packet in packets:
        segment = tcp_segment(linktype, packet.data)
        first_of_flow = False
        if segment is not None and segment[0] not in seen_flows:
            seen_flows.add(segment[0])
            first_of_flow = True
        if segment is None or segment[1] == 0 or first_of_flow:
            emit_counting(packet)
            continue
        counts["data"] += 1
        # Three draws per data segment, always, so one setting does not shift the others.
        drop_draw, reorder_draw, duplicate_draw = rng.random(), rng.random(), rng.random()
        hold = rng.randint(*args.hold)
        if drop_draw < args.drop:
            counts["dropped"] += 1
            continue
        if reorder_draw < args.reorder:
            counts["reordered"] += 1
            held.append([hold, packet])
        else:
            emit_counting(packet)
        if duplicate_draw < args.duplicate:
            counts["duplicated"] += 1
            emit_counting(packet)
    for _, packet in held:
        emit(packet)
    counts["out"] = len(out)
    return out, counts


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Deterministically reorder, duplicate and drop TCP data segments of a pcap.")
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--reorder", type=probability, default=0.0)
    parser.add_argument("--hold", type=parse_hold, default=(1, 3), metavar="LO-HI")
    parser.add_argument("--duplicate", type=probability, default=0.0)
    parser.add_argument("--drop", type=probability, default=0.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    header, order, linktype, packets = read_pcap(args.input)
    if linktype not in (LINK_NULL, LINK_ETHERNET, LINK_RAW, LINK_RAW_OLD, LINK_LOOP, LINK_SLL,
                        LINK_IPV4, LINK_IPV6, LINK_SLL2):
        print(f"mangle-pcap.py: link type {linktype} is not decoded; packets are copied unchanged",
              file=sys.stderr)
    out, counts = mangle(linktype, packets, args)
    with open(args.output, "wb") as f:
        f.write(header)
        record = struct.Struct(order + "IIII")
        for packet in out:
            f.write(record.pack(packet.seconds, packet.fraction, len(packet.data),
                                packet.original_length))
            f.write(packet.data)
    print(f"mangle-pcap.py: {counts['in']} packets in, {counts['data']} TCP data segments, "
          f"{counts['reordered']} reordered (hold {args.hold[0]}-{args.hold[1]}), "
          f"{counts['duplicated']} duplicated, {counts['dropped']} dropped, "
          f"{counts['out']} packets out (seed {args.seed})", file=sys.stderr)


if __name__ == "__main__":
    main()
