#!/usr/bin/env python3
"""Rebuild the IIS 6.0 CGI 502.2 frame published in Microsoft's "Troubleshooting HTTP 502.2 Bad
Gateway error in CGI applications" (the Netmon hex dump) as a one-packet pcap.

Usage: Tools/make-seed-capture.py [OUT]   (default Captures/seed-iis6-cgi-502.pcap)

The time is the page's Date header, 2005-08-23 20:25:47 UTC. The bytes are the published dump's,
row by row; the IP checksum is 0 as published (the sender offloaded it).
"""
import struct
import sys

ROWS = """
00 11 BC 3E 62 3C 00 0F 1F 6C 1F E1 08 00 45 00
01 9A EF 40 40 00 80 06 00 00 D8 A2 10 5C 0A C8
04 15 00 50 55 B1 AA C6 89 52 E7 D6 85 01 50 18
09 2F F9 67 00 00 48 54 54 50 2F 31 2E 31 20 35
30 32 20 42 61 64 20 47 61 74 65 77 61 79 0D 0A
43 6F 6E 74 65 6E 74 2D 4C 65 6E 67 74 68 3A 20
32 33 32 0D 0A 43 6F 6E 74 65 6E 74 2D 54 79 70
65 3A 20 74 65 78 74 2F 68 74 6D 6C 0D 0A 53 65
72 76 65 72 3A 20 4D 69 63 72 6F 73 6F 66 74 2D
49 49 53 2F 36 2E 30 0D 0A 44 61 74 65 3A 20 54
75 65 2C 20 32 33 20 41 75 67 20 32 30 30 35 20
32 30 3A 32 35 3A 34 37 20 47 4D 54 0D 0A 0D 0A
3C 68 74 6D 6C 3E 3C 68 65 61 64 3E 3C 74 69 74
6C 65 3E 45 72 72 6F 72 3C 2F 74 69 74 6C 65 3E
3C 2F 68 65 61 64 3E 3C 62 6F 64 79 3E 3C 68 65
61 64 3E 3C 74 69 74 6C 65 3E 45 72 72 6F 72 20
69 6E 20 43 47 49 20 41 70 70 6C 69 63 61 74 69
6F 6E 3C 2F 74 69 74 6C 65 3E 3C 2F 68 65 61 64
3E 0A 3C 62 6F 64 79 3E 3C 68 31 3E 43 47 49 20
45 72 72 6F 72 3C 2F 68 31 3E 54 68 65 20 73 70
65 63 69 66 69 65 64 20 43 47 49 20 61 70 70 6C
69 63 61 74 69 6F 6E 20 6D 69 73 62 65 68 61 76
65 64 20 62 79 20 6E 6F 74 20 72 65 74 75 72 6E
69 6E 67 20 61 20 63 6F 6D 70 6C 65 74 65 20 73
65 74 20 6F 66 20 48 54 54 50 20 68 65 61 64 65
72 73 2E 3C 2F 62 6F 64 79 3E 3C 2F 62 6F 64 79
3E 3C 2F 68 74 6D 6C 3E
"""
TIME = 1124828747  # 2005-08-23 20:25:47 UTC

frame = bytes(int(b, 16) for b in ROWS.split())
assert len(frame) == 424, len(frame)
out = sys.argv[1] if len(sys.argv) > 1 else "Captures/seed-iis6-cgi-502.pcap"
with open(out, "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    f.write(struct.pack("<IIII", TIME, 0, len(frame), len(frame)))
    f.write(frame)
print(f"wrote {out}: 1 frame, {len(frame)} bytes")
