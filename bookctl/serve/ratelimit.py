"""The per-reader rate limit of `bookctl serve`, shared by its workers on Postgres.

One worker counts in memory (`limits`' moving window). With `--workers N` (on Postgres) the counts are rows of
`bookctl_rate_hits` (migration 0005), one per reader, limit and fixed window, incremented by an
upsert that returns the new count, so every worker (and every machine) on that database counts the
same questions: N workers no longer allow N times the limit. A fixed window lets a reader ask up to
twice the limit across a window's boundary, the usual price of counting without a log of hits. While
the database cannot answer, each worker counts in memory again rather than refuse or stop readers.
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

from limits import RateLimitItem, parse_many, storage, strategies

if TYPE_CHECKING:
    from bookctl.db import SessionLog

PRUNE_EVERY = 500  # hits between deletes of windows that are over


class RateLimiter:
    def __init__(self, rate: str, log: SessionLog | None = None) -> None:
        self.limits: list[RateLimitItem] = parse_many(rate)
        self.memory = strategies.MovingWindowRateLimiter(storage.MemoryStorage())
        shared = log is not None and log.engine is not None and log.target.dialect == "postgresql"
        self.log = log if shared else None
        self._hits = 0

    async def retry_after(self, key: str) -> tuple[RateLimitItem, int] | None:
        """Count a question of `key`; (the limit it is over, seconds until it may ask again), or None."""
        if self.log is not None and not self.log.journaling:
            try:
                return await self._shared(key)
            except Exception as exc:  # the database is down: count in this worker meanwhile
                self.log.failed(exc)  # (and the session log journals until it answers again)
        for limit in self.limits:
            if not self.memory.hit(limit, key):
                stats = self.memory.get_window_stats(limit, key)
                return limit, max(1, math.ceil(stats.reset_time - time.time()))
        return None

    async def _shared(self, key: str) -> tuple[RateLimitItem, int] | None:
        from sqlalchemy import delete
        from sqlalchemy.dialects.postgresql import insert

        from bookctl.db.tables import RateHitRow

        now = time.time()
        over: tuple[RateLimitItem, int] | None = None
        assert self.log is not None
        engine = self.log.engine
        assert engine is not None
        async with engine.begin() as conn:
            for limit in self.limits:
                period = int(limit.get_expiry())
                start = int(now // period * period)
                upsert = (
                    insert(RateHitRow)
                    .values(key=key, period=period, window_start=start, hits=1)
                    .on_conflict_do_update(
                        index_elements=["key", "period", "window_start"],
                        set_={"hits": RateHitRow.hits + 1},
                    )
                    .returning(RateHitRow.hits)
                )
                hits = (await conn.execute(upsert)).scalar_one()
                if hits > limit.amount and over is None:
                    over = (limit, max(1, math.ceil(start + period - now)))
            self._hits += 1
            if self._hits % PRUNE_EVERY == 0:
                longest = max(int(limit.get_expiry()) for limit in self.limits)
                await conn.execute(delete(RateHitRow).where(RateHitRow.window_start < now - 2 * longest))
        return over
