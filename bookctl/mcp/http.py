"""The MCP server over streamable HTTP: an ASGI endpoint to mount, and `bookctl mcp --http`.

    endpoint = McpEndpoint(guard=check_token)          # any Starlette app: Route("/mcp", endpoint)
    async with endpoint.serving(book):                 # in that app's lifespan
        ...

The endpoint is stateless (every request stands alone, answered as JSON), so any worker of a
server can answer any request and nothing is kept between them. `guard` (optional) sees each
request first and may refuse it with a response of its own: `bookctl serve` passes its bearer-token
check, so /mcp takes the same tokens as /chatkit. On 127.0.0.1 (the default) the SDK's DNS
rebinding protection only lets local Host and Origin headers through.
"""

from __future__ import annotations

import contextlib
import socket
import sys
from collections.abc import AsyncIterator, Awaitable, Callable

from mcp.server.streamable_http_manager import StreamableHTTPASGIApp
from mcp.server.transport_security import TransportSecuritySettings
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Message, Receive, Scope, Send

from bookctl.mcp.book import BookTools
from bookctl.mcp.server import create_server

Guard = Callable[[Request], Awaitable[Response | None]]
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def local_only() -> TransportSecuritySettings:
    """Host and Origin must be local: a web page elsewhere cannot reach a local server through DNS
    rebinding."""
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=["127.0.0.1:*", "localhost:*", "[::1]:*"],
        allowed_origins=["http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*"],
    )


class McpEndpoint:
    """An ASGI app answering MCP over streamable HTTP, once `serving(book)` has started it."""

    def __init__(
        self, *, guard: Guard | None = None, security: TransportSecuritySettings | None = None
    ) -> None:
        self.guard = guard
        self.security = security
        self._app: StreamableHTTPASGIApp | None = None

    @contextlib.asynccontextmanager
    async def serving(self, book: BookTools, *, log_level: str = "WARNING") -> AsyncIterator[None]:
        server = create_server(book, log_level=log_level)
        server.streamable_http_app(
            streamable_http_path="/",
            stateless_http=True,
            json_response=True,
            transport_security=self.security
            or TransportSecuritySettings(enable_dns_rebinding_protection=False),
        )
        manager = server.session_manager
        async with manager.run():
            self._app = StreamableHTTPASGIApp(manager)
            try:
                yield
            finally:
                self._app = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        if self._app is None:
            response: Response | None = JSONResponse({"error": "the MCP server is starting or stopping"}, 503)
        elif self.guard is not None:
            request = Request(scope, receive)
            response = await self.guard(request)
            receive = _replayed(request, receive)  # the guard may have read the body
        else:
            response = None
        if response is not None:
            await response(scope, receive, send)
            return
        assert self._app is not None
        await self._app(scope, receive, send)


def _replayed(request: Request, receive: Receive) -> Receive:
    """`receive` as the app must see it: the body first again when the guard read it (Starlette keeps
    what it read in the request), then the rest of the connection's messages."""
    body: bytes | None = getattr(request, "_body", None)
    if body is None:
        return receive
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def replay() -> Message:
        return pending.pop() if pending else await receive()

    return replay


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound now: port 0 picks a free port, and the URL can be printed before
    the first request."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


async def serve_http(book: BookTools, sock: socket.socket, *, verbose: bool = False) -> None:
    """`bookctl mcp --http`: the endpoint at /mcp under uvicorn, until interrupted."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.routing import Route

    host = sock.getsockname()[0]
    endpoint = McpEndpoint(security=local_only() if host in LOCAL_HOSTS else None)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with endpoint.serving(book, log_level="INFO" if verbose else "WARNING"):
            port = sock.getsockname()[1]
            shown = f"[{host}]" if ":" in host else host
            print(
                f"bookctl mcp: http://{shown}:{port}/mcp ({book.title}, {len(book.site.docs)} docs)",
                file=sys.stderr,
                flush=True,
            )
            yield

    app = Starlette(routes=[Route("/mcp", endpoint)], lifespan=lifespan)
    config = uvicorn.Config(app, log_level="info" if verbose else "warning", lifespan="on")
    await uvicorn.Server(config).serve(sockets=[sock])
