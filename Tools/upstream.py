#!/usr/bin/env python3
"""An HTTP/1.1 upstream that misbehaves on purpose, for making captures of proxy failures.

Stdlib only. Run it inside a network namespace on loopback (make-captures.sh does this);
it never connects anywhere, it only listens.

Usage:
    upstream.py [--host 127.0.0.1] [--listen PORT[:MODE]]... [--slow-seconds 3.0]

Each --listen opens one port. With a MODE the port always behaves that way; without one
the mode is taken from the first path segment of the request target
(GET /reset/anything -> mode "reset"). Unknown modes answer 404.

Modes (the nginx column is what nginx 1.22 makes of it, as seen in its error.log):

  ok          200 with Content-Length. Keep-alive honoured (HTTP/1.1 without
              "Connection: close").                                     -> 200
  chunked     200 with Transfer-Encoding: chunked (several chunks).     -> 200
  close       200 with no length, body ends when the server closes.     -> 200
  reset       reads the request, then closes with SO_LINGER 0, so the
              kernel sends RST instead of FIN.                          -> 502 "recv() failed
              (104: Connection reset by peer)"
  fin         reads the request, then closes (FIN) before answering.    -> 502 "upstream prematurely
              closed connection while reading response header"
  halfheader  sends a status line and half a header line, then FIN.     -> 502 (same message)
  garbage     sends bytes that are not HTTP at all, then FIN. nginx
              accepts this as an HTTP/0.9 answer and passes it on!      -> 200 "upstream sent no
              valid HTTP/1.0 header" (kept as an interesting case)
  badheader   valid status line, then a header line with a control
              byte in its name.                                         -> 502 "upstream sent invalid
              header"
  toobig      valid status line, then one header longer than nginx's
              proxy_buffer_size.                                        -> 502 "upstream sent too big
              header"
  slow        sleeps --slow-seconds (longer than nginx's
              proxy_read_timeout) before answering 200.                 -> 504 "upstream timed out"
  502         answers "502 Bad Gateway" itself, with its own Server
              header and body, as an inner proxy would.                 -> 502 passed through

Query parameter size=N (ok, chunked, close) sets the body length in bytes (default 64,
maximum 64 MiB). "Refused" has no mode: point the proxy at a port nobody listens on.

Request bodies with Content-Length are read and discarded; "Expect: 100-continue" is
answered with an interim 100 before the body is read.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import struct
import sys
from urllib.parse import parse_qs, urlsplit

MODES = (
    "ok", "chunked", "close", "reset", "fin", "halfheader", "garbage",
    "badheader", "toobig", "slow", "502",
)
MAX_HEAD = 64 * 1024
MAX_BODY = 64 * 1024 * 1024
# Requests per connection before we close it: bounded so no loop runs forever.
MAX_REQUESTS_PER_CONNECTION = 10_000
# Seconds a keep-alive connection may idle before we drop it (nginx's pool is shorter-lived
# than the test anyway; this only stops leaked sockets from piling up).
IDLE_SECONDS = 30.0


def body_bytes(size: int) -> bytes:
    """Deterministic printable body of exactly `size` bytes, so captures are reproducible."""
    line = b"gatewatch upstream body 0123456789abcdefghijklmnopqrstuvwxyz\n"
    reps = size // len(line) + 1
    return (line * reps)[:size]


async def read_head(reader: asyncio.StreamReader) -> bytes | None:
    """Reads one request head; None on a clean EOF before any byte, raises on junk."""
    try:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), IDLE_SECONDS)
    except asyncio.IncompleteReadError as exc:
        if exc.partial:
            raise ValueError("connection closed inside a request head") from exc
        return None
    except asyncio.LimitOverrunError as exc:
        raise ValueError("request head too large") from exc
    return head


def parse_head(head: bytes) -> tuple[str, str, str, dict[str, str]]:
    """Splits a request head into method, target, version and lower-cased headers."""
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3:
        raise ValueError(f"bad request line {lines[0]!r}")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise ValueError(f"bad header line {line!r}")
        headers[name.strip().lower()] = value.strip()
    return parts[0], parts[1], parts[2], headers


def response(status: str, headers: list[tuple[str, str]], body: bytes = b"") -> bytes:
    """Serialises a response; the caller decides the framing headers."""
    out = [f"HTTP/1.1 {status}\r\n"]
    out += [f"{k}: {v}\r\n" for k, v in headers]
    out.append("\r\n")
    return "".join(out).encode("latin-1") + body


def reset_close(writer: asyncio.StreamWriter) -> None:
    """Closes with SO_LINGER {on, 0}: the kernel discards the socket and sends RST."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


class Upstream:
    """One listening port; `fixed_mode` overrides the path-selected mode."""

    def __init__(self, fixed_mode: str | None, slow_seconds: float) -> None:
        self.fixed_mode = fixed_mode
        self.slow_seconds = slow_seconds

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            for _ in range(MAX_REQUESTS_PER_CONNECTION):
                keep_going = await self.one_request(reader, writer)
                if not keep_going:
                    break
        except (ValueError, ConnectionError, asyncio.TimeoutError):
            pass
        finally:
            if not writer.transport.is_closing():
                writer.close()
            try:
                await writer.wait_closed()
            except (ConnectionError, OSError):
                pass

    async def one_request(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        """Serves one request; returns whether the connection stays open for another."""
        head = await read_head(reader)
        if head is None:
            return False
        method, target, version, headers = parse_head(head)
        length = int(headers.get("content-length", "0") or "0")
        if length < 0 or length > MAX_BODY:
            raise ValueError("bad content-length")
        if headers.get("expect", "").lower() == "100-continue" and length > 0:
            writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            await writer.drain()
        if length:
            await reader.readexactly(length)

        url = urlsplit(target)
        segments = [s for s in url.path.split("/") if s]
        mode = self.fixed_mode or (segments[0] if segments else "ok")
        query = parse_qs(url.query)
        try:
            size = min(max(int(query.get("size", ["64"])[0]), 0), MAX_BODY)
        except ValueError:
            size = 64
        wants_close = (
            headers.get("connection", "").lower() == "close" or version == "HTTP/1.0"
        )
        conn = [("Connection", "close")] if wants_close else []
        base = [("Server", "gw-upstream"), ("Content-Type", "text/plain")]
        body = b"" if method == "HEAD" else body_bytes(size)

        if mode == "ok":
            writer.write(response("200 OK", base + [("Content-Length", str(size))] + conn, body))
            await writer.drain()
            return not wants_close
        if mode == "chunked":
            writer.write(response("200 OK", base + [("Transfer-Encoding", "chunked")] + conn))
            # Uneven chunk sizes so chunk boundaries fall mid-segment and across segments.
            step = max(1, size // 3 + 1)
            for start in range(0, len(body), step):
                piece = body[start:start + step]
                writer.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                await writer.drain()
            writer.write(b"0\r\n\r\n")
            await writer.drain()
            return not wants_close
        if mode == "close":
            writer.write(response("200 OK", base + [("Connection", "close")], body))
            await writer.drain()
            return False
        if mode == "reset":
            reset_close(writer)
            return False
        if mode == "fin":
            return False
        if mode == "halfheader":
            writer.write(b"HTTP/1.1 200 OK\r\nServer: gw-upstream\r\nContent-Ty")
            await writer.drain()
            return False
        if mode == "garbage":
            writer.write(b"\x16\x03\x01\x00\x2a garbage, not HTTP \x00\xff\xfe\r\n\r\n")
            await writer.drain()
            return False
        if mode == "badheader":
            writer.write(b"HTTP/1.1 200 OK\r\nServer: gw-upstream\r\nBad\x01Name: x\r\n"
                         b"Content-Length: 2\r\n\r\nok")
            await writer.drain()
            return False
        if mode == "toobig":
            writer.write(response("200 OK", base + [("X-Huge", "h" * 16384),
                                                    ("Content-Length", "2")], b"ok"))
            await writer.drain()
            return False
        if mode == "slow":
            await asyncio.sleep(self.slow_seconds)
            if writer.transport.is_closing():
                return False
            writer.write(response("200 OK", base + [("Content-Length", str(size))] + conn, body))
            await writer.drain()
            return not wants_close
        if mode == "502":
            page = b"<html><body><h1>502 Bad Gateway</h1>inner upstream failed</body></html>\n"
            writer.write(response("502 Bad Gateway",
                                  [("Server", "gw-inner-proxy"), ("Content-Type", "text/html"),
                                   ("Content-Length", str(len(page)))] + conn,
                                  b"" if method == "HEAD" else page))
            await writer.drain()
            return not wants_close
        page = f"unknown mode {mode!r}; modes: {' '.join(MODES)}\n".encode()
        writer.write(response("404 Not Found", base + [("Content-Length", str(len(page)))] + conn,
                              b"" if method == "HEAD" else page))
        await writer.drain()
        return not wants_close


async def serve(host: str, listens: list[str], slow_seconds: float) -> None:
    servers = []
    for spec in listens:
        port_text, _, mode = spec.partition(":")
        if mode and mode not in MODES:
            raise SystemExit(f"upstream.py: unknown mode {mode!r} (modes: {', '.join(MODES)})")
        upstream = Upstream(mode or None, slow_seconds)
        servers.append(await asyncio.start_server(
            upstream.handle, host, int(port_text), limit=MAX_HEAD, reuse_address=True))
    print(f"upstream.py: listening on {host} {' '.join(listens)}", file=sys.stderr, flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--listen", action="append", default=[],
                        help="PORT or PORT:MODE (repeatable; default 9001)")
    parser.add_argument("--slow-seconds", type=float, default=3.0)
    args = parser.parse_args()
    try:
        asyncio.run(serve(args.host, args.listen or ["9001"], args.slow_seconds))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
