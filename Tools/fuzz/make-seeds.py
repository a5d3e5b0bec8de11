#!/usr/bin/env python3
"""Writes a seed corpus for one fuzz target from pcap / pcapng captures.

    make-seeds.py TARGET CORPUS_DIR CAPTURE_DIR_OR_FILE...

FuzzPipeline gets whole captures as classic pcap (pcapng converted, cut at 256 KiB), plus copies
whose `thiszone` byte turns on -V -X, --json and --frames --status 502. FuzzWire gets single
frames prefixed by the link-type selector. FuzzHTTP gets each TCP stream's payloads in capture
order with control pairs that cut at every change of direction. FuzzReassembly gets each TCP
stream's segments as the harness's 8-byte records. FuzzSavefile gets the first 2 KiB of each file. Layouts: see each target's main.swift.
"""
import hashlib
import os
import struct
import sys

# FuzzWire's link-type order.
WIRE_LINKS = {1: 0, 0: 1, 108: 2, 12: 3, 14: 3, 101: 3, 228: 4, 229: 5, 113: 6, 276: 7}


def read_capture(path):
    """(linktype, [(sec, frac_ns, bytes)]) for a classic pcap or a single-interface pcapng."""
    with open(path, 'rb') as handle:
        data = handle.read()
    if len(data) < 24:
        return None, []
    magic = data[:4]
    if magic in (b'\xd4\xc3\xb2\xa1', b'\xa1\xb2\xc3\xd4', b'\x4d\x3c\xb2\xa1', b'\xa1\xb2\x3c\x4d'):
        endian = '<' if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1') else '>'
        nano = magic in (b'\x4d\x3c\xb2\xa1', b'\xa1\xb2\x3c\x4d')
        link = struct.unpack(endian + 'I', data[20:24])[0] & 0x0FFFFFFF
        frames, pos = [], 24
        while pos + 16 <= len(data):
            sec, frac, incl, _ = struct.unpack(endian + 'IIII', data[pos:pos + 16])
            pos += 16
            if incl > len(data) - pos:
                break
            frames.append((sec, frac if nano else frac * 1000, data[pos:pos + incl]))
            pos += incl
        return link, frames
    if magic == b'\x0a\x0d\x0d\x0a':
        endian = '<' if data[8:12] == b'\x4d\x3c\x2b\x1a' else '>'
        links, frames, pos = [], [], 0
        while pos + 12 <= len(data):
            btype, blen = struct.unpack(endian + 'II', data[pos:pos + 8])
            if blen < 12 or pos + blen > len(data):
                break
            body = data[pos + 8:pos + blen - 4]
            if btype == 1:
                links.append(struct.unpack(endian + 'H', body[:2])[0])
            elif btype == 6 and len(body) >= 20:
                iface, high, low, caplen, _ = struct.unpack(endian + 'IIIII', body[:20])
                if iface == 0:
                    ticks = (high << 32) | low  # microseconds unless if_tsresol says otherwise
                    frames.append((ticks // 1_000_000, (ticks % 1_000_000) * 1000, body[20:20 + caplen]))
            pos += blen
        return (links[0] if links else None), frames
    return None, []


def tcp_of(link, frame):
    """(src, dst, sport, dport, seq, flags, payload) of an unfragmented TCP frame, else None."""
    if link == 1:
        if len(frame) < 14:
            return None
        etype, off = struct.unpack('>H', frame[12:14])[0], 14
        while etype in (0x8100, 0x88A8, 0x9100) and len(frame) >= off + 4:
            etype, off = struct.unpack('>H', frame[off + 2:off + 4])[0], off + 4
    elif link == 113:
        if len(frame) < 16:
            return None
        etype, off = struct.unpack('>H', frame[14:16])[0], 16
    elif link == 276:
        if len(frame) < 20:
            return None
        etype, off = struct.unpack('>H', frame[0:2])[0], 20
    elif link in (0, 108):
        off = 4
        etype = 0x86DD if len(frame) > 4 and frame[4] >> 4 == 6 else 0x0800
    elif link in (12, 14, 101, 228, 229):
        off = 0
        etype = 0x86DD if frame and frame[0] >> 4 == 6 else 0x0800
    else:
        return None
    ip = frame[off:]
    if etype == 0x0800 and len(ip) >= 20 and ip[9] == 6:
        ihl = (ip[0] & 0x0F) * 4
        if struct.unpack('>H', ip[6:8])[0] & 0x3FFF:
            return None
        total = struct.unpack('>H', ip[2:4])[0] or len(ip)
        src, dst, tcp = ip[12:16], ip[16:20], ip[ihl:total]
    elif etype == 0x86DD and len(ip) >= 40 and ip[6] == 6:
        plen = struct.unpack('>H', ip[4:6])[0] or len(ip) - 40
        src, dst, tcp = ip[8:24], ip[24:40], ip[40:40 + plen]
    else:
        return None
    if len(tcp) < 20:
        return None
    sport, dport, seq = struct.unpack('>HHI', tcp[:8])
    doff = (tcp[12] >> 4) * 4
    return src, dst, sport, dport, seq, tcp[13], tcp[doff:]


def streams_of(link, frames):
    """{key: [(time_ns, from_first_sender, seq, flags, payload)]} in capture order."""
    streams, first = {}, {}
    for sec, frac, frame in frames:
        seg = tcp_of(link, frame)
        if seg is None:
            continue
        src, dst, sport, dport, seq, flags, payload = seg
        a, b = (src, sport), (dst, dport)
        key = (min(a, b), max(a, b))
        first.setdefault(key, a)
        streams.setdefault(key, []).append((sec * 10**9 + frac, first[key] == a, seq, flags, payload))
    return streams


def http_seed(segments):
    runs = []  # (direction, bytes)
    for _, forward, _, _, payload in segments:
        if not payload:
            continue
        direction = 0 if forward else 1
        if runs and runs[-1][0] == direction:
            runs[-1][1].extend(payload)
        else:
            runs.append([direction, bytearray(payload)])
    if not runs:
        return None
    # The harness starts in direction 0, so a stream whose first data goes the other way is
    # flipped; directions are arbitrary labels to the parser.
    flip = runs[0][0]
    pairs, body = [], bytearray()
    for index, (direction, data) in enumerate(runs):
        data = data[:4096]
        body.extend(data)
        if index + 1 == len(runs):
            break
        remaining = len(data)
        # A cut at most 255 bytes on, or 16*255 with bit 7; split longer runs into several cuts.
        while remaining > 0 and len(pairs) < 15:
            if remaining <= 255:
                step, b = remaining, 0
            else:
                step, b = min(255, remaining // 16) * 16, 0x80
            remaining -= step
            a = step // 16 if b & 0x80 else step
            nxt = (runs[index + 1][0] ^ flip) if remaining == 0 else (direction ^ flip)
            pairs.append((a, b | nxt))
        if len(pairs) >= 15 or len(body) > 16384:
            break
    out = bytearray([len(pairs)])
    for a, b in pairs:
        out += bytes([a, b])
    return bytes(out + body)


def reassembly_seed(segments):
    base, nxt, out, last = {}, {0: 0, 1: 0}, bytearray([0]), None
    for time, forward, seq, flags, payload in segments[:300]:
        side = 0 if forward else 1
        if side not in base:
            base[side] = seq
        rel = (seq - base[side]) % 2**32
        chunks = [payload[i:i + 255] for i in range(0, len(payload), 255)] or [b'']
        for number, chunk in enumerate(chunks):
            offset = rel - nxt[side]
            if offset >= 2**31:
                offset -= 2**32
            offset = max(-32768, min(32767, offset))
            chunk_flags = flags if number + 1 == len(chunks) else flags & ~0x01
            step = 0 if last is None else max(0, time - last) // 1000
            step = step if step < 0x8000 else 0x8000 | min(0x7FFF, step // 1_000_000)
            last = time
            out += bytes([chunk_flags, side | (2 << 5)]) + struct.pack('>h', offset)
            out += bytes([len(chunk), 0]) + struct.pack('>H', step) + chunk
            nxt[side] = rel + len(chunk) + (1 if chunk_flags & 0x02 else 0) + (1 if chunk_flags & 0x01 else 0)
            rel += len(chunk)
    return bytes(out)


def classic_pcap(link, frames, zone, limit=256 * 1024):
    out = bytearray(struct.pack('<IHHiIII', 0xA1B23C4D, 2, 4, zone, 0, 262144, link))
    for sec, frac, frame in frames:
        record = struct.pack('<IIII', sec & 0xFFFFFFFF, frac, len(frame), len(frame)) + frame
        if len(out) + len(record) > limit:
            break
        out += record
    return bytes(out)


def captures(paths):
    for path in paths:
        if os.path.isdir(path):
            for name in sorted(os.listdir(path)):
                if name.endswith(('.pcap', '.pcapng')):
                    yield os.path.join(path, name)
        elif os.path.exists(path):
            yield path


def main():
    target, corpus, sources = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(corpus, exist_ok=True)
    written = 0

    def emit(data):
        nonlocal written
        if data:
            with open(os.path.join(corpus, hashlib.sha1(data).hexdigest()), 'wb') as handle:
                handle.write(data)
            written += 1

    for path in captures(sources):
        link, frames = read_capture(path)
        if link is None:
            continue
        if target == 'FuzzSavefile':
            # The file as stored, first records only: the reader sees headers, records and cuts.
            with open(path, 'rb') as handle:
                emit(handle.read(2048))
            continue
        if target == 'FuzzPipeline':
            emit(classic_pcap(link, frames, 0))
            small = frames[:60]
            for zone in (0x03, 0x04, 0x18, 0x63):
                emit(classic_pcap(link, small, zone, 32 * 1024))
        elif target == 'FuzzWire':
            selector = WIRE_LINKS.get(link, 8)
            for _, _, frame in frames[:40]:
                emit(bytes([selector]) + frame[:2048])
        else:
            for segments in list(streams_of(link, frames).values())[:8]:
                emit(http_seed(segments) if target == 'FuzzHTTP' else reassembly_seed(segments))
    print(f'make-seeds: {written} seeds for {target} in {corpus}', file=sys.stderr)


if __name__ == '__main__':
    main()
