"""The session log's tables (SQLAlchemy 2 typed models). Schema changes go through a new migration."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class SessionRow(Base):
    __tablename__ = "bookctl_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    site: Mapped[str] = mapped_column(Text)
    provider: Mapped[str] = mapped_column(String(64))
    model: Mapped[str] = mapped_column(String(200))
    user: Mapped[str | None] = mapped_column(String(200), nullable=True)
    origin: Mapped[str] = mapped_column(String(32), default="cli")  # "cli", "web", "mcp", "python"


class TurnRow(Base):
    __tablename__ = "bookctl_turns"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_id: Mapped[str] = mapped_column(String(64), ForeignKey("bookctl_sessions.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    question: Mapped[str] = mapped_column(Text)
    selection: Mapped[str | None] = mapped_column(Text, nullable=True)
    chapter: Mapped[str | None] = mapped_column(Text, nullable=True)
    answer: Mapped[str] = mapped_column(Text)
    abstained: Mapped[bool] = mapped_column(Boolean, default=False)
    model: Mapped[str] = mapped_column(String(200))
    citations: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    retrieved: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    latency_ms: Mapped[dict[str, Any]] = mapped_column(JSON)
    usage: Mapped[dict[str, Any]] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    context: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)  # the reader's page etc.
    rewritten_query: Mapped[str | None] = mapped_column(
        Text, nullable=True
    )  # a follow-up, made to stand alone
    feedback: Mapped[str | None] = mapped_column(String(16), nullable=True)  # the reader's, from the web


class ChatKitThreadRow(Base):
    """A ChatKit thread of `bookctl serve`; its id is its bookctl session's id."""

    __tablename__ = "bookctl_chatkit_threads"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)  # ThreadMetadata as ChatKit serializes it


class ChatKitItemRow(Base):
    """A ChatKit thread item, in the order stored (seq); an assistant message names its turn."""

    __tablename__ = "bookctl_chatkit_items"
    __table_args__ = {"sqlite_autoincrement": True}

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(64), unique=True)
    thread_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("bookctl_chatkit_threads.id", ondelete="CASCADE"), index=True
    )
    type: Mapped[str] = mapped_column(String(64))
    turn_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    feedback: Mapped[str | None] = mapped_column(String(16), nullable=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class ChatKitAttachmentRow(Base):
    __tablename__ = "bookctl_chatkit_attachments"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user: Mapped[str | None] = mapped_column(String(200), nullable=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class RateHitRow(Base):
    """Questions one reader asked in one window of a rate limit (`bookctl serve`, shared by workers)."""

    __tablename__ = "bookctl_rate_hits"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)  # "user:<id>" or "ip:<address>"
    period: Mapped[int] = mapped_column(Integer, primary_key=True)  # the limit's period in seconds
    window_start: Mapped[int] = mapped_column(BigInteger, primary_key=True)  # epoch s, a multiple of it
    hits: Mapped[int] = mapped_column(Integer)


# The Agents SDK's multi-turn memory (agents.extensions.memory.SQLAlchemySession) lives in these two
# tables, created by migration 0002; the SDK declares their columns itself.
AGENT_SESSIONS_TABLE = "bookctl_agent_sessions"
AGENT_MESSAGES_TABLE = "bookctl_agent_messages"
