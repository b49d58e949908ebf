"""`bookctl serve`: the book's assistant over HTTP (ChatKit protocol) for the book's web pages."""

from __future__ import annotations

from typing import Annotated

import typer

from bookctl.cli import app
from bookctl.cli.ai_tools_cmds import SiteUrlOpt
from bookctl.cli.options import (
    BaseUrlOpt,
    DataDirOpt,
    DocsOpt,
    ExcludeOpt,
    RouteBasePathOpt,
    SidebarsOpt,
    SiteArg,
    SiteOpt,
    VerboseOpt,
    pick_site,
)
from bookctl.cli.site_cmds import site_settings


@app.command()
def serve(
    site: SiteArg = None,
    host: Annotated[str, typer.Option("--host", help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="The port to listen on (0: any free port).")] = 8765,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            help="Worker processes (more than 1 needs a Postgres database: they share threads and the log).",
        ),
    ] = 1,
    site_url: SiteUrlOpt = None,
    allow_origin: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-origin",
            help="An origin whose pages may call the server (CORS), e.g. https://example.com; repeatable "
            "\\[default: the site URL's origin].",
            show_default=False,
        ),
    ] = None,
    auth: Annotated[
        str,
        typer.Option(
            "--auth",
            help="Bearer JWTs: off (a local run: no users), optional (signed-in readers get their own threads) "
            "or required.",
        ),
    ] = "off",
    jwks_url: Annotated[
        str | None,
        typer.Option(
            "--jwks-url",
            help="Where the issuer publishes its keys, e.g. http://127.0.0.1:3001/api/auth/jwks (EdDSA, RS256).",
            show_default=False,
        ),
    ] = None,
    jwt_issuer: Annotated[
        str | None,
        typer.Option(
            "--jwt-issuer", help="The tokens' iss \\[default: the JWKS URL's origin].", show_default=False
        ),
    ] = None,
    jwt_audience: Annotated[
        str | None,
        typer.Option(
            "--jwt-audience", help="The tokens' aud \\[default: the JWKS URL's origin].", show_default=False
        ),
    ] = None,
    rate_limit: Annotated[
        str,
        typer.Option(
            "--rate-limit",
            help='Questions per reader (user, else IP address) and worker, e.g. "30/minute"; "off" for none.',
        ),
    ] = "30/minute",
    docs: DocsOpt = None,
    sidebars: SidebarsOpt = None,
    route_base_path: RouteBasePathOpt = None,
    base_url: BaseUrlOpt = None,
    exclude: ExcludeOpt = None,
    data_dir: DataDirOpt = None,
    verbose: VerboseOpt = False,
    site_option: SiteOpt = None,
) -> None:
    """Serve the book's assistant over HTTP for its web pages (OpenAI ChatKit's protocol).

    POST /chatkit answers with the same agent, index, model and session log as `bookctl ask` (web conversations show in `bookctl sessions list`); GET /healthz reports the index, database and model. Needs an index (`bookctl ingest SITE`) and the serve extra (pip install 'bookctl\\[serve]').
    """
    from bookctl.errors import InputError
    from bookctl.serve import ServeOptions, run

    if not 0 <= port <= 65535:
        raise InputError(f"--port must be between 0 and 65535 (got {port})")
    settings = site_settings(
        pick_site(site, site_option),
        docs,
        sidebars,
        route_base_path,
        base_url,
        exclude,
        verbose,
        data_dir=data_dir,
        site_url=site_url,
    )
    options = ServeOptions(
        host=host,
        port=port,
        workers=workers,
        allow_origins=list(allow_origin or []),
        auth=auth,
        jwks_url=jwks_url,
        jwt_issuer=jwt_issuer,
        jwt_audience=jwt_audience,
        rate_limit=rate_limit,
    )
    run(settings, options)
