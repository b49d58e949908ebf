"""`bookctl serve`: the book's assistant over HTTP, speaking OpenAI ChatKit's protocol.

    bookctl serve SITE --site-url https://example.com --allow-origin https://example.com

app.py      the Starlette app: /healthz, /chatkit, CORS, body limits, errors as ChatKit errors
server.py   the ChatKit server (openai-chatkit): respond() runs bookctl.chat's ChatSession
store.py    ChatKit's Store on the session log's database (SQLAlchemy asyncio, migration 0004)
ratelimit.py the per-reader rate limit (in memory; shared in Postgres with --workers, migration 0005)

Needs the `serve` extra: pip install 'bookctl[serve]'.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from typing import TYPE_CHECKING, Any

from bookctl.config import Settings
from bookctl.errors import ConfigError, InputError

if TYPE_CHECKING:
    from bookctl.serve.app import App

__all__ = ["ServeOptions", "create_app", "prepare", "run"]

MAX_BODY_BYTES = 1_000_000  # a question, a selected passage and the page's metadata fit well within
RATE_LIMIT = "30/minute"  # `limits` notation: "10/second", "100/hour", "30 per minute"
AUTH_MODES = ("off", "optional", "required")


@dataclasses.dataclass
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8765
    workers: int = 1
    allow_origins: list[str] = dataclasses.field(default_factory=list)  # exact: scheme://host[:port]
    max_body_bytes: int = MAX_BODY_BYTES
    auth: str = "off"  # "off" (a local run: everyone sees every thread), "optional", "required"
    jwks_url: str | None = None
    jwt_issuer: str | None = None  # default: the JWKS URL's origin (Better Auth's issuer)
    jwt_audience: str | None = None  # default: the same
    rate_limit: str | None = RATE_LIMIT  # turns per reader (user, else IP) and worker; None: no limit


def create_app(settings: Settings, options: ServeOptions | None = None) -> App:
    """The ASGI app (its lifespan opens the index, model and database); `settings` as `prepare` left them."""
    _require_extra()
    from bookctl.serve.app import App

    return App(settings, options or ServeOptions())


def _require_extra() -> None:
    try:
        import chatkit  # noqa: F401
    except ImportError:
        raise ConfigError(
            "bookctl serve needs the openai-chatkit package",
            fix="pip install 'bookctl[serve]'",
        ) from None


def check_options(options: ServeOptions) -> ServeOptions:
    """Options as given on the command line, checked; the issuer and audience defaulted."""
    from bookctl.serve.app import origin_of

    if options.auth not in AUTH_MODES:
        raise InputError(f"--auth {options.auth!r} is not one of {', '.join(AUTH_MODES)}")
    if options.auth != "off" and not options.jwks_url:
        raise InputError(
            f"--auth {options.auth} needs --jwks-url",
            fix="give the issuer's JWKS URL, e.g. http://127.0.0.1:3001/api/auth/jwks (the accounts service)",
        )
    if options.jwks_url is not None:
        if not options.jwks_url.startswith(("http://", "https://")):
            raise InputError(f"--jwks-url {options.jwks_url!r} is not an http(s) URL")
        default = origin_of(options.jwks_url)
        options = dataclasses.replace(
            options, jwt_issuer=options.jwt_issuer or default, jwt_audience=options.jwt_audience or default
        )
    if options.rate_limit is not None and options.rate_limit.strip().lower() in {"", "off", "none", "0"}:
        options = dataclasses.replace(options, rate_limit=None)
    if options.rate_limit is not None:
        from limits import parse_many

        try:
            parse_many(options.rate_limit)
        except ValueError:
            raise InputError(
                f"--rate-limit {options.rate_limit!r} is not a rate",
                fix='write it like "30/minute", "5 per second" or "off"',
            ) from None
    if options.workers < 1:
        raise InputError(f"--workers must be at least 1 (got {options.workers})")
    return options


def prepare(settings: Settings, allow_origins: list[str]) -> tuple[Settings, list[str]]:
    """The settings with the site's public URL (--site-url, else the config's `url`), and the origins
    allowed to call (--allow-origin, else the site URL's origin)."""
    from bookctl.export import site_url
    from bookctl.serve.app import origin_of
    from bookctl.site.loader import load_site

    url = site_url(settings, load_site(settings))
    origins = []
    for origin in allow_origins:
        parts = origin.rstrip("/")
        if not parts.startswith(("http://", "https://")) or origin_of(parts) != parts.lower():
            raise InputError(
                f"--allow-origin {origin!r} is not an origin",
                fix="give scheme://host[:port] with no path, e.g. https://example.com",
            )
        origins.append(parts)
    if not origins and url:
        origins = [origin_of(url)]
    return dataclasses.replace(settings, site_url=url), origins


def _server_class() -> type:
    import uvicorn

    class Server(uvicorn.Server):
        """uvicorn's server, except that SIGTERM / SIGINT end a graceful stop with exit status 0 (uvicorn
        raises the signal again once stopped)."""

        def handle_exit(self, sig: int, frame: object) -> None:
            super().handle_exit(sig, frame)  # type: ignore[arg-type]
            captured = getattr(self, "_captured_signals", None)
            if isinstance(captured, list):
                captured.clear()

    return Server


WORKER_ENV = "BOOKCTL_SERVE_WORKER"  # the settings and options, as JSON, for worker processes


def _settings_json(settings: Settings, options: ServeOptions) -> str:
    import json

    fields = {f.name: getattr(settings, f.name) for f in dataclasses.fields(settings) if f.init}
    fields = {k: str(v) if isinstance(v, os.PathLike) else v for k, v in fields.items()}
    return json.dumps({"settings": fields, "options": dataclasses.asdict(options)})


def worker_app() -> App:
    """A worker's app (`--workers`: uvicorn imports this in each process, with WORKER_ENV set)."""
    import json
    from pathlib import Path

    from bookctl.serve.app import App

    data = json.loads(os.environ[WORKER_ENV])
    fields = data["settings"]
    for name in ("site", "docs", "sidebars", "data_dir"):
        if fields.get(name) is not None:
            fields[name] = Path(fields[name])
    return App(Settings(**fields), ServeOptions(**data["options"]))


async def _preflight(settings: Settings) -> None:
    """What every worker opens, opened once first: a missing index or database is one line here rather
    than workers dying one after the other."""
    from bookctl.chat import Assistant
    from bookctl.errors import ServiceError

    assistant = await Assistant.open(settings)
    try:
        if assistant.log.engine is None:
            raise ServiceError(
                f"cannot serve: the database {assistant.log.target.shown} is unreachable ({assistant.log.last_error})",
                fix="check BOOKCTL_DATABASE_URL / DATABASE_URL",
            )
    finally:
        await assistant.close()


def _run_workers(settings: Settings, options: ServeOptions, sock: Any, announce: str) -> None:
    """Several worker processes on one socket (uvicorn's supervisor): each has its own searcher, model
    and rate-limit counts; threads, items and the session log are in the shared Postgres database."""
    import asyncio

    import uvicorn
    from uvicorn.supervisors import Multiprocess

    asyncio.run(_preflight(settings))
    os.environ[WORKER_ENV] = _settings_json(settings, options)
    config = uvicorn.Config(
        "bookctl.serve:worker_app",
        factory=True,
        workers=options.workers,
        log_level="info" if settings.verbose else "warning",
        lifespan="on",
        timeout_graceful_shutdown=5,
    )
    print(announce, file=sys.stderr, flush=True)
    Multiprocess(config, sockets=[sock]).run()


def run(settings: Settings, options: ServeOptions) -> None:
    """Serve until interrupted."""
    _require_extra()
    import uvicorn

    from bookctl.mcp.http import LOCAL_HOSTS, bind

    _Server = _server_class()
    from bookctl.serve.app import App

    options = check_options(options)
    settings, origins = prepare(settings, options.allow_origins)
    options = dataclasses.replace(options, allow_origins=origins)
    if options.workers > 1:
        from bookctl.db.urls import resolve_database_url

        if resolve_database_url(settings.database_url, settings.resolved_data_dir).dialect != "postgresql":
            raise InputError(
                f"--workers {options.workers} needs a Postgres database (the workers share their threads and log)",
                fix="set BOOKCTL_DATABASE_URL / DATABASE_URL to a postgresql:// URL, or run one worker",
            )
    try:
        sock = bind(options.host, options.port)
    except OSError as exc:
        raise InputError(
            f"cannot listen on {options.host}:{options.port}: {exc.strerror}",
            fix="choose another --port (0 picks a free one)",
        ) from None
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    if options.host not in LOCAL_HOSTS:
        print(
            f"warning: listening on {options.host}: anyone who can reach this port can ask", file=sys.stderr
        )
    if not settings.site_url:
        print(
            "warning: the site's URL is unknown, so citations are site-relative paths "
            "(give --site-url or the config's url)",
            file=sys.stderr,
        )
    announce = (
        f"bookctl serve: http://{shown}:{port}/chatkit (citations at {settings.site_url or '/'}; "
        f"origins allowed: {', '.join(origins) or 'none'}"
        + (f"; {options.workers} workers" if options.workers > 1 else "")
        + ")"
    )
    if options.workers > 1:
        _run_workers(settings, options, sock, announce)
        return
    app = App(settings, options)
    app.announce = (
        f"bookctl serve: http://{shown}:{port}/chatkit (citations at {settings.site_url or '/'}; "
        f"origins allowed: {', '.join(origins) or 'none'})"
    )
    config = uvicorn.Config(
        app, log_level="info" if settings.verbose else "warning", lifespan="on", timeout_graceful_shutdown=5
    )
    import logging

    def startup_noise(record: logging.LogRecord) -> bool:  # the reason is shown as one line below
        return app.startup_error is None or "startup failed" not in record.getMessage()

    logging.getLogger("uvicorn.error").addFilter(startup_noise)
    try:
        _Server(config).run(sockets=[sock])
    except SystemExit:
        if app.startup_error is not None:
            raise app.startup_error from None
        raise
