"""A minimal asyncio WebSocket client (RFC 6455, text frames) for tests, benchmarks and checks.

The lock file has no client library; this is enough to hold many sockets in one process:
``await WsClient.connect(...)``, ``send_json``, ``receive_json`` and ``close``.
"""

import asyncio
import base64
import json
import os
import struct

OP_TEXT, OP_CLOSE, OP_PING, OP_PONG = 0x1, 0x8, 0x9, 0xA


class WsClosed(Exception):
    def __init__(self, code: int | None):
        super().__init__(f"websocket closed with code {code}")
        self.code = code


class WsClient:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.reader = reader
        self.writer = writer

    @classmethod
    async def connect(
        cls, host: str, port: int, path: str, *, origin: str | None = None, cookie: str = ""
    ) -> "WsClient":
        reader, writer = await asyncio.open_connection(host, port)
        key = base64.b64encode(os.urandom(16)).decode()
        headers = [
            f"GET {path} HTTP/1.1",
            f"Host: {host}:{port}",
            "Upgrade: websocket",
            "Connection: Upgrade",
            f"Sec-WebSocket-Key: {key}",
            "Sec-WebSocket-Version: 13",
            f"Origin: {origin or f'http://{host}:{port}'}",
        ]
        if cookie:
            headers.append(f"Cookie: {cookie}")
        writer.write(("\r\n".join(headers) + "\r\n\r\n").encode())
        await writer.drain()
        status = await reader.readline()
        if b" 101 " not in status:
            writer.close()
            raise ConnectionError(f"handshake refused: {status.decode().strip()}")
        while (await reader.readline()) not in (b"\r\n", b""):
            pass
        return cls(reader, writer)

    async def send_text(self, text: str) -> None:
        self._write_frame(OP_TEXT, text.encode())
        await self.writer.drain()

    async def send_json(self, message) -> None:
        await self.send_text(json.dumps(message))

    def _write_frame(self, opcode: int, payload: bytes) -> None:
        header = bytes([0x80 | opcode])
        length = len(payload)
        if length < 126:
            header += bytes([0x80 | length])
        elif length < 1 << 16:
            header += bytes([0x80 | 126]) + struct.pack("!H", length)
        else:
            header += bytes([0x80 | 127]) + struct.pack("!Q", length)
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.writer.write(header + mask + masked)

    async def _read_frame(self) -> tuple[int, bytes]:
        first, second = await self.reader.readexactly(2)
        length = second & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", await self.reader.readexactly(2))
        elif length == 127:
            (length,) = struct.unpack("!Q", await self.reader.readexactly(8))
        return first & 0x0F, await self.reader.readexactly(length)

    async def receive_text(self) -> str:
        while True:
            try:
                opcode, payload = await self._read_frame()
            except asyncio.IncompleteReadError as exc:
                raise WsClosed(None) from exc
            if opcode == OP_TEXT:
                return payload.decode()
            if opcode == OP_PING:
                self._write_frame(OP_PONG, payload)
            elif opcode == OP_CLOSE:
                code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None
                raise WsClosed(code)

    async def receive_json(self, timeout: float | None = None):
        return json.loads(await asyncio.wait_for(self.receive_text(), timeout))

    async def close(self) -> None:
        try:
            self._write_frame(OP_CLOSE, struct.pack("!H", 1000))
            await self.writer.drain()
        except (ConnectionError, RuntimeError):
            pass
        self.writer.close()
