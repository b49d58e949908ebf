"""The book for other AI tools, live: a Model Context Protocol server (`bookctl mcp`).

    run_stdio(settings)                       # a desktop or coding assistant starts it as a process
    run_http(settings, host="127.0.0.1", port=8766)   # streamable HTTP at /mcp

book.py     the tools and docs, without MCP (search through bookctl's Assistant, the rest from the site)
server.py   the MCP server on the official SDK: tools, schemas, resources, errors
http.py     the streamable HTTP endpoint (standalone, or mounted in `bookctl serve` at /mcp)
"""

from __future__ import annotations

import contextlib
import sys

from bookctl.config import Settings

__all__ = ["run_http", "run_stdio"]


def run_stdio(settings: Settings) -> None:
    """Serve over stdin/stdout until the client closes them. Nothing but the protocol reaches
    stdout: while the book opens, stray prints go to stderr, and the SDK diverts them after."""
    import anyio

    from bookctl.mcp.book import BookTools
    from bookctl.mcp.server import create_server

    async def main() -> None:
        async with contextlib.AsyncExitStack() as stack:
            with contextlib.redirect_stdout(sys.stderr):
                book = await stack.enter_async_context(BookTools.open(settings))
            print(
                f"bookctl mcp: serving {book.title} ({len(book.site.docs)} docs) over stdio",
                file=sys.stderr,
                flush=True,
            )
            await create_server(book, log_level="INFO" if settings.verbose else "WARNING").run_stdio_async()

    anyio.run(main)


def run_http(settings: Settings, *, host: str, port: int) -> None:
    """Serve streamable HTTP at http://host:port/mcp until interrupted (port 0: a free port)."""
    import anyio

    from bookctl.errors import InputError
    from bookctl.mcp.book import BookTools
    from bookctl.mcp.http import LOCAL_HOSTS, bind, serve_http

    try:
        sock = bind(host, port)
    except OSError as exc:
        raise InputError(
            f"cannot listen on {host}:{port}: {exc.strerror}",
            fix="choose another --port (0 picks a free one)",
        ) from None
    if host not in LOCAL_HOSTS:
        print(
            f"warning: listening on {host}: anyone who can reach this port can search and read the book "
            "(mount it in `bookctl serve` for bearer tokens)",
            file=sys.stderr,
        )

    async def main() -> None:
        async with BookTools.open(settings) as book:
            await serve_http(book, sock, verbose=settings.verbose)

    try:
        anyio.run(main)
    finally:
        sock.close()
