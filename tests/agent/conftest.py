"""No test may reach a real model API: every OpenAI request fails loudly."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_real_model_api(monkeypatch: pytest.MonkeyPatch) -> None:
    import httpx

    real_send = httpx.AsyncClient.send

    async def guarded_send(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        host = request.url.host
        if host not in {"127.0.0.1", "localhost"}:
            raise AssertionError(f"a test tried to reach a real model API: {request.url}")
        return await real_send(self, request, *args, **kwargs)

    monkeypatch.setattr(httpx.AsyncClient, "send", guarded_send)
