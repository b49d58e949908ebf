"""A stand-in for Neon's WebSocket proxy: WebSocket binary messages <-> one TCP connection to Postgres.

Neon's serverless driver opens `ws://HOST/v2?address=DBHOST:PORT` and then speaks the ordinary
Postgres wire protocol inside binary WebSocket messages. Neon's own proxy routes by the endpoint in
the address; this one records the address it was asked for and always connects to the one local
Postgres it was given (never anywhere else). Neon's own proxy (`wsproxy`) is a Go program, not a
package; npm's `websockify` is a CLI for one fixed target with deprecated dependencies (`optimist`)
that cannot tell the test which address the driver asked for. So it is these few lines over the
maintained `websockets` library.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed


class WebSocketTcpProxy:
    def __init__(self, upstream: tuple[str, int], port: int = 0) -> None:
        self.upstream = upstream
        self.port = port
        self.requested: list[str] = []  # the ?address= of every connection, in order
        self.paths: list[str] = []
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: object | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def ws_proxy(self) -> str:
        """The driver's `wsProxy` setting (it appends `?address=host:port`)."""
        return f"127.0.0.1:{self.port}/v2"

    def start(self) -> WebSocketTcpProxy:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)
        return self

    def resume(self) -> None:
        """Listen again on the same port after `stop()` (the database is back)."""
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)

    def stop(self) -> None:
        """Close the listener and every open connection (the database looks down)."""
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(10)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.stop()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    async def _start(self) -> None:
        server = await serve(self._handle, "127.0.0.1", self.port, max_size=None, compression=None)
        self.port = server.sockets[0].getsockname()[1]
        self._server = server

    async def _stop(self) -> None:
        server = self._server
        if server is not None:
            server.close()  # type: ignore[attr-defined]
            await server.wait_closed()  # type: ignore[attr-defined]
            self._server = None
        for task in list(self._tasks):
            task.cancel()

    async def _handle(self, ws: ServerConnection) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        path = ws.request.path if ws.request else ""
        self.paths.append(urlsplit(path).path)
        self.requested.append(parse_qs(urlsplit(path).query).get("address", [""])[0])
        try:
            reader, writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            await ws.close(1011, "upstream unreachable")
            return

        async def ws_to_tcp() -> None:
            async for message in ws:
                writer.write(message if isinstance(message, bytes) else message.encode())
                await writer.drain()

        async def tcp_to_ws() -> None:
            while data := await reader.read(65536):
                await ws.send(data)

        pumps = [asyncio.ensure_future(ws_to_tcp()), asyncio.ensure_future(tcp_to_ws())]
        try:
            await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            pass
        finally:
            for pump in pumps:
                pump.cancel()
            with contextlib.suppress(Exception, ConnectionClosed):
                await ws.close()
            writer.close()
            self._tasks.discard(task)
