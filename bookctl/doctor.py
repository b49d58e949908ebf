"""`bookctl doctor` as a library call: what is set up, and the fix for each problem."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from bookctl.config import Settings
from bookctl.errors import BookctlError


@dataclass
class Check:
    check: str  # "model", "index" or "database"
    ok: bool
    detail: str
    fix: str | None = None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


PROBE_TIMEOUT_S = 3.0  # how long doctor waits for a model endpoint to answer


async def diagnose(settings: Settings) -> list[Check]:
    """Check the model provider (a real one is asked for its models), the index and the session
    log's database."""
    return [await check_model(settings), _index(settings), await _database(settings)]


async def check_model(settings: Settings) -> Check:
    from bookctl.agent import choose_provider

    try:
        p = choose_provider(settings)
    except BookctlError as exc:
        return Check("model", False, exc.message, exc.fix)
    detail = f"{p.name} ({p.model})"
    if p.name == "offline":
        return Check("model", True, detail)
    endpoint = settings.llm_base_url or "https://api.openai.com/v1"
    detail += f" at {endpoint}"
    problem = await probe_endpoint(endpoint, settings.openai_api_key, p.model)
    if problem:
        return Check(
            "model",
            False,
            f"{detail}: {problem}",
            "check BOOKCTL_LLM_BASE_URL and OPENAI_API_KEY, or answer offline with --model offline",
        )
    return Check("model", True, detail + ", answering")


async def probe_endpoint(base_url: str, api_key: str | None, model: str) -> str | None:
    """None when the OpenAI-compatible endpoint lists its models within PROBE_TIMEOUT_S (and the
    model among them, when it lists any), else what went wrong, in one line."""
    import openai

    client = openai.AsyncOpenAI(
        base_url=base_url, api_key=api_key or "not-needed", timeout=PROBE_TIMEOUT_S, max_retries=0
    )
    try:
        listed = [m.id async for m in client.models.list()]
    except openai.AuthenticationError:
        return "the endpoint refused the API key (401)"
    except openai.APITimeoutError:
        return f"no answer within {PROBE_TIMEOUT_S:g} s"
    except openai.APIConnectionError as exc:
        cause = exc.__cause__ or exc
        return f"cannot connect ({type(cause).__name__})"
    except openai.APIStatusError as exc:
        return f"the endpoint answered HTTP {exc.status_code} to GET /models"
    finally:
        await client.close()
    if listed and model not in listed and model != "default":
        shown = ", ".join(listed[:5]) + (" ..." if len(listed) > 5 else "")
        return f"it does not serve the model {model!r} (it lists {shown})"
    return None


def _index(settings: Settings) -> Check:
    from bookctl.index import open_searcher

    try:
        searcher = open_searcher(settings)  # fails with the fix when there is no index
    except BookctlError as exc:
        return Check("index", False, exc.message, exc.fix)
    try:
        meta = searcher.meta
        n = searcher.store.count()
    finally:
        searcher.close()
    return Check(
        "index",
        True,
        f"{meta.engine} with {n} chunks of {meta.docs} docs, model {meta.dense_model}, built {meta.last_ingest}",
    )


async def _database(settings: Settings) -> Check:
    from bookctl.db import SessionLog
    from bookctl.db.urls import resolve_database_url

    try:
        target = resolve_database_url(settings.database_url, settings.resolved_data_dir)
        log = await SessionLog.open(settings, sync=False, required=True)
    except BookctlError as exc:
        return Check("database", False, exc.message, exc.fix)
    pending = len(log.journal.read())
    await log.close()
    detail = f"{target.shown} (migrations current)"
    if target.notes:
        detail += "; " + "; ".join(target.notes)
    if pending:
        return Check(
            "database", False, f"{detail}; {pending} journaled records", "run `bookctl sessions sync`"
        )
    return Check("database", True, detail)
