#!/usr/bin/env python3
# Usage: png-colours.py FILE.png [RRGGBB ...]
# Decodes an 8-bit RGB/RGBA, non-interlaced PNG and prints: width height distinct_colours, then
# "RRGGBB count" for the requested colours. Standard library only (zlib), for the browser test.
import struct, sys, zlib

def decode(path):
    data = open(path, 'rb').read()
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        raise SystemExit('not a PNG')
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b'IHDR':
            header = struct.unpack('>IIBBBBB', body)
        elif kind == b'IDAT':
            idat.append(body)
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace != 0:
        raise SystemExit('unsupported PNG: depth %d colour %d interlace %d' % (depth, colour, interlace))
    channels = 4 if colour == 6 else 3
    raw = zlib.decompress(b''.join(idat))
    size = width * channels
    low, high = int.from_bytes(b'\x7f' * size, 'big'), int.from_bytes(b'\x80' * size, 'big')
    prior, rows = bytes(size), []
    for y in range(height):
        start = y * (size + 1)
        kind, line = raw[start], raw[start + 1:start + 1 + size]
        if kind == 0:
            row = line
        elif kind == 2:
            # Bytewise (a + b) mod 256 on whole rows at once: add the low 7 bits, xor the top bits.
            a, b = int.from_bytes(line, 'big'), int.from_bytes(prior, 'big')
            row = (((a & low) + (b & low)) ^ ((a ^ b) & high)).to_bytes(size, 'big')
        else:
            row = bytearray(line)
            for i in range(size):
                left = row[i - channels] if i >= channels else 0
                up = prior[i]
                if kind == 1:
                    row[i] = (row[i] + left) & 255
                elif kind == 3:
                    row[i] = (row[i] + ((left + up) >> 1)) & 255
                else:
                    corner = prior[i - channels] if i >= channels else 0
                    p = left + up - corner
                    pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                    row[i] = (row[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
            row = bytes(row)
        rows.append(row)
        prior = row
    return width, height, channels, rows

width, height, channels, rows = decode(sys.argv[1])
counts = {}
for row in rows:
    for i in range(0, len(row), channels):
        key = row[i:i + 3]
        counts[key] = counts.get(key, 0) + 1
print(width, height, len(counts))
for wanted in sys.argv[2:]:
    print(wanted, counts.get(bytes.fromhex(wanted), 0))
