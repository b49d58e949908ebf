"""The HTTP side of `bookctl serve`: a Starlette app under uvicorn.

    GET  /healthz   the index generation, the database, the model (200 while answers can be given)
    POST /chatkit   the ChatKit protocol (openai-chatkit): JSON requests, streamed ones as SSE

Every refusal is a ChatKit error body (`{"type": "error", "code": ..., "message": ...}`) with its
HTTP status: a malformed or unknown request 400, a thread that is not the caller's 404, a body
over the limit 413, another site's Origin 403. An error in the middle of a streamed answer comes as
an `error` event (the status line has gone out by then) and is logged with the turn.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

from chatkit.server import StreamingResult
from chatkit.store import NotFoundError
from chatkit.types import ChatKitReq, is_streaming_req
from pydantic import TypeAdapter, ValidationError
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from bookctl.config import Settings
from bookctl.serve import ServeOptions
from bookctl.serve.store import StoreUnavailable

log = logging.getLogger("bookctl.serve")

_REQUEST = TypeAdapter[ChatKitReq](ChatKitReq)


def chatkit_error(status: int, code: str, message: str, *, headers: dict[str, str] | None = None) -> Response:
    body = {"type": "error", "code": code, "message": message, "allow_retry": False}
    return JSONResponse(body, status_code=status, headers=headers)


def _unauthorized(code: str, message: str) -> Response:
    return chatkit_error(401, code, message, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})


def _sse_error(message: str) -> bytes:
    event = {"type": "error", "code": "stream.error", "message": message, "allow_retry": True}
    return b"data: " + json.dumps(event).encode() + b"\n\n"


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def primary_locale(accept_language: str | None) -> str | None:
    """The language tag a reader prefers most (`zh-TW, zh;q=0.9, en;q=0.8` -> "zh-TW"); None for
    `*`/none. The site's locale it means is found with the index (bookctl.site.languages.locale_for_tag:
    fr-CH -> fr, zh-TW -> zh-Hant)."""
    if not accept_language:
        return None
    best: tuple[float, str] | None = None
    for i, part in enumerate(accept_language.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip()
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if not tag or tag == "*" or not all(c.isalnum() or c == "-" for c in tag) or q <= 0:
            continue
        if best is None or q > best[0]:
            best = (q - i * 1e-6, tag)
    return best[1] if best else None


class App:
    """The server's parts, opened in the app's lifespan: the Assistant (index, model, session log),
    the store and the ChatKit server."""

    def __init__(self, settings: Settings, options: ServeOptions) -> None:
        self.settings = settings
        self.options = options
        self.allowed = {o.rstrip("/").lower() for o in options.allow_origins}
        self.verifier: Any = None
        if options.auth != "off" and options.jwks_url:
            from bookctl.serve.auth import JwksVerifier

            self.verifier = JwksVerifier(
                options.jwks_url, issuer=options.jwt_issuer or "", audience=options.jwt_audience or ""
            )
        self.limiter: Any = None  # bookctl.serve.ratelimit.RateLimiter, made once the database is open
        self.assistant: Any = None
        self.server: Any = None
        from bookctl.mcp.http import McpEndpoint

        # the book for other AI tools (bookctl.mcp), on the same assistant and the same bearer tokens
        self.mcp = McpEndpoint(guard=self._mcp_guard)
        self.startup_error: Exception | None = None
        self.announce: str | None = None  # printed on stderr once the server can answer
        self._app = self._starlette()

    @contextlib.asynccontextmanager
    async def opened(self) -> AsyncIterator[None]:
        import asyncio

        from bookctl.chat import Assistant
        from bookctl.errors import ServiceError
        from bookctl.mcp.book import BookTools
        from bookctl.serve.server import BookServer
        from bookctl.serve.store import SqlStore

        assistant = await Assistant.open(self.settings)
        try:
            if assistant.log.engine is None:
                raise ServiceError(
                    f"cannot serve: the database {assistant.log.target.shown} is unreachable "
                    f"({assistant.log.last_error})",
                    fix="check BOOKCTL_DATABASE_URL / DATABASE_URL, or unset it to use SQLite",
                )
            searcher = await assistant.searcher()
            await asyncio.to_thread(searcher.search, "warm up", k=1)  # load the embedding model now
            async with BookTools.open(self.settings, assistant) as book, self.mcp.serving(book):
                if self.options.rate_limit:
                    from bookctl.serve.ratelimit import RateLimiter

                    self.limiter = RateLimiter(
                        self.options.rate_limit, assistant.log if self.options.workers > 1 else None
                    )
                self.assistant = assistant
                self.server = BookServer(assistant, SqlStore(assistant.log))
                yield
        finally:
            self.assistant = self.server = None
            await assistant.close()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        worker = str(os.getpid()).encode()

        async def send_with_worker(message: Any) -> None:
            if message["type"] == "http.response.start":  # which worker answered (several with --workers)
                message = {**message, "headers": [*message.get("headers", []), (b"x-bookctl-worker", worker)]}
            await send(message)

        await self._app(scope, receive, send_with_worker)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        """Open everything at startup; a BookctlError (no index, no database) is kept for `run` to
        show as one line, not handed to uvicorn as a traceback."""
        from bookctl.errors import BookctlError

        await receive()  # lifespan.startup
        started = False
        try:
            async with self.opened():
                started = True
                await send({"type": "lifespan.startup.complete"})
                if self.announce:
                    print(self.announce, file=sys.stderr, flush=True)
                await receive()  # lifespan.shutdown
        except BookctlError as exc:
            if started:
                raise
            self.startup_error = exc
            await send({"type": "lifespan.startup.failed", "message": ""})
            return
        await send({"type": "lifespan.shutdown.complete"})

    # --- routes ------------------------------------------------------------------------------------

    async def healthz(self, request: Request) -> Response:
        from bookctl.index.generations import live_index

        if self.assistant is None:
            return JSONResponse({"status": "starting"}, status_code=503)
        log_ = self.assistant.log
        live = live_index(self.settings.resolved_data_dir)
        database = {
            "dialect": log_.target.dialect,
            "available": log_.engine is not None and log_.last_error is None,
            "journaled": len(log_.journal.read()),
        }
        if log_.last_error:
            database["error"] = log_.last_error
        body = {
            "status": "ok" if database["available"] else "degraded",
            # what this worker answers from, and what the last ingest published (the same within a
            # second: Assistant.searcher() opens a newly published generation at the next question)
            "index": {
                "generation": self.assistant.generation,
                "live": live.parent.name if live is not None else None,
            },
            "database": database,
            "model": {"provider": self.assistant.provider.name, "model": self.assistant.provider.model},
            "worker": os.getpid(),
        }
        return JSONResponse(body)

    def _origin_refused(self, request: Request) -> Response | None:
        origin = request.headers.get("origin")
        if origin is None or origin.rstrip("/").lower() in self.allowed:
            return None
        host = request.headers.get("host", "")
        if origin_of(origin) == f"{request.url.scheme}://{host}".lower():  # the server's own page
            return None
        return chatkit_error(
            403, "origin.refused", f"requests from {origin} are not allowed (bookctl serve --allow-origin)"
        )

    async def _body(self, request: Request) -> bytes | Response:
        limit = self.options.max_body_bytes
        too_big = chatkit_error(413, "request.too_large", f"the request body is over {limit} bytes")
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            return too_big
        chunks: list[bytes] = []
        size = 0
        try:
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    return too_big
                chunks.append(chunk)
        except ClientDisconnect:
            return Response(status_code=400)
        return b"".join(chunks)

    async def _user(self, request: Request) -> str | None | Response:
        """The reader's user id (the JWT's sub), None for nobody signed in, or the 401 to send."""
        from bookctl.serve.auth import AuthError

        if self.options.auth == "off":
            return None
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if not header:
            if self.options.auth == "required":
                return _unauthorized("auth.required", "sign in first: this server needs a bearer token")
            return None
        if scheme.lower() != "bearer" or not token.strip():
            return _unauthorized("auth.invalid", "the Authorization header is not 'Bearer <JWT>'")
        try:
            claims = await self.verifier.verify(token.strip())
        except AuthError as exc:
            return _unauthorized("auth.invalid", str(exc))
        return str(claims["sub"])

    async def _mcp_guard(self, request: Request) -> Response | None:
        """/mcp takes what /chatkit takes: the same origins, bearer tokens (--auth) and rate limit per
        reader, which counts the tool calls (a search or a read), not the protocol's own messages."""
        refused = self._origin_refused(request)
        if refused is not None:
            return refused
        user = await self._user(request)
        if isinstance(user, Response):
            return user
        if request.method == "POST" and _calls_a_tool(await request.body()):
            client = request.client.host if request.client else "unknown"
            return await self._rate_limited(f"user:{user}" if user else f"ip:{client}")
        return None

    async def _rate_limited(self, key: str) -> Response | None:
        if self.limiter is None:
            return None
        over = await self.limiter.retry_after(key)
        if over is None:
            return None
        limit, retry = over
        return chatkit_error(
            429,
            "rate_limited",
            f"too many questions ({limit}): try again in {retry} s",
            headers={"Retry-After": str(retry)},
        )

    def context_for(self, request: Request, metadata: dict[str, Any], user: str | None = None) -> Any:
        from bookctl.serve.store import RequestContext

        accept = request.headers.get("accept-language")
        return RequestContext(
            user=user,
            see_all=self.options.auth == "off",
            metadata=metadata,
            accept_language=accept,
            locale=primary_locale(accept),
            client=request.client.host if request.client else None,
        )

    async def chatkit(self, request: Request) -> Response:
        refused = self._origin_refused(request)
        if refused is not None:
            return refused
        if self.server is None:
            return chatkit_error(503, "server.starting", "the server is starting or stopping")
        user = await self._user(request)
        if isinstance(user, Response):
            return user
        body = await self._body(request)
        if isinstance(body, Response):
            return body
        try:
            parsed = _REQUEST.validate_json(body)
        except ValidationError as exc:
            return chatkit_error(400, "request.invalid", _validation_message(exc))
        if is_streaming_req(parsed):  # a turn of the model: what the limit is for
            client = request.client.host if request.client else "unknown"
            limited = await self._rate_limited(f"user:{user}" if user else f"ip:{client}")
            if limited is not None:
                return limited
        context = self.context_for(request, dict(parsed.metadata), user)
        thread_id = getattr(parsed.params, "thread_id", None)
        try:
            if isinstance(thread_id, str):  # the thread must exist and be the caller's before anything runs
                await self.server.store.load_thread(thread_id, context)
            result = await self.server.process(body, context)
        except NotFoundError as exc:
            return chatkit_error(404, "not_found", str(exc))
        except StoreUnavailable as exc:  # the database is down and this request needs it
            return chatkit_error(
                503, "database.unavailable", f"{exc}: try again shortly", headers={"Retry-After": "10"}
            )
        except NotImplementedError:
            return chatkit_error(
                400, "request.unsupported", f"{parsed.type} is not supported by bookctl serve"
            )
        except (ValueError, RuntimeError) as exc:  # chatkit's own checks (a non-widget sender, no uploads)
            return chatkit_error(
                400, "request.invalid", str(exc).splitlines()[0] if str(exc) else parsed.type
            )
        if isinstance(result, StreamingResult):
            return EventStream(
                _guarded(result),
                media_type="text/event-stream",
                headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
            )
        return Response(result.json, media_type="application/json")

    def _starlette(self) -> Starlette:
        from starlette.middleware import Middleware
        from starlette.middleware.cors import CORSMiddleware

        middleware = [
            Middleware(
                CORSMiddleware,
                allow_origins=sorted(self.allowed),
                allow_methods=["GET", "POST"],
                allow_headers=["authorization", "content-type", "accept-language"],
                expose_headers=["retry-after"],
                max_age=600,
            )
        ]
        return Starlette(
            routes=[
                Route("/healthz", self.healthz, methods=["GET"]),
                Route("/chatkit", self.chatkit, methods=["POST"]),
                Route("/mcp", self.mcp),
            ],
            middleware=middleware,
        )


class EventStream(StreamingResponse):
    """A streamed answer that stops when the reader goes away: on `http.disconnect` the task making
    it is cancelled with asyncio's own cancellation, delivered once, so the turn can still be logged
    (ChatSession: error "cancelled") and ChatKit can keep the partial answer. Starlette's own
    StreamingResponse cancels through an anyio cancel scope, which cancels every later await too,
    and both writes were lost."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        import asyncio

        producer = asyncio.ensure_future(self.stream_response(send))

        async def watch() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass
            producer.cancel()

        watcher = asyncio.ensure_future(watch())
        try:
            await asyncio.wait([producer])
        except asyncio.CancelledError:  # the server is stopping
            producer.cancel()
            raise
        finally:
            watcher.cancel()
        if producer.cancelled():
            return
        error = producer.exception()
        if isinstance(error, OSError):  # the reader went away while we were writing to them
            with contextlib.suppress(Exception):
                await self.body_iterator.aclose()  # type: ignore[attr-defined]
            return
        if error is not None:
            raise error


def _calls_a_tool(body: bytes) -> bool:
    """Whether an MCP JSON-RPC body (one message or a batch) holds a `tools/call`; anything else,
    unreadable bodies included, is the SDK's to answer."""
    try:
        parsed = json.loads(body)
    except ValueError:
        return False
    messages = parsed if isinstance(parsed, list) else [parsed]
    return any(isinstance(m, dict) and m.get("method") == "tools/call" for m in messages)


async def _guarded(result: StreamingResult) -> AsyncIterator[bytes]:
    """The SSE bytes; an exception after the stream began becomes an `error` event, never a cut
    connection (cancellation, a reader gone, goes on: the turn is logged as cancelled)."""
    try:
        async for chunk in result:
            yield chunk
    except NotFoundError as exc:
        yield _sse_error(str(exc))
    except Exception as exc:
        log.exception("error while streaming a ChatKit response")
        yield _sse_error(f"{type(exc).__name__}: the answer failed; try again")


def _validation_message(exc: ValidationError) -> str:
    errors = exc.errors()
    if not errors:
        return "not a ChatKit request"
    first = errors[0]
    where = ".".join(str(p) for p in first.get("loc", ()) if not isinstance(p, int)) or "body"
    if first.get("type") == "json_invalid":
        return 'the body is not JSON: send a ChatKit request ({"type": ..., "params": ...})'
    if first.get("type") == "union_tag_invalid" or (first.get("type") == "union_tag_not_found"):
        return "unknown request type: send one of ChatKit's (threads.create, threads.add_user_message, ...)"
    return f"{where}: {first.get('msg', 'invalid')} (a ChatKit request of openai-chatkit's protocol)"
