"""session origin, turn context, the Agents SDK memory tables

Revision ID: 0002
Revises: 0001

- bookctl_sessions.origin: where a conversation came from ("cli", "web", "mcp", "python"); rows
  from before are CLI sessions.
- bookctl_turns.context: what the caller said about the turn (the reader's page, version, locale,
  request metadata), JSON, null when nothing was said.
- bookctl_agent_sessions / bookctl_agent_messages: the Agents SDK's multi-turn memory
  (`agents.extensions.memory.SQLAlchemySession` with these table names). bookctl used to let the SDK
  create its default tables (agent_sessions / agent_messages) on the side; their rows are copied here,
  and the old tables are left in place (other programs may share them).
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

OLD_SESSIONS, OLD_MESSAGES = "agent_sessions", "agent_messages"
SESSIONS, MESSAGES = "bookctl_agent_sessions", "bookctl_agent_messages"


def upgrade() -> None:
    with op.batch_alter_table("bookctl_sessions") as batch:
        batch.add_column(sa.Column("origin", sa.String(32), nullable=False, server_default="cli"))
    with op.batch_alter_table("bookctl_turns") as batch:
        batch.add_column(sa.Column("context", sa.JSON(), nullable=True))
    # The same columns, types and index as the SDK's SQLAlchemySession declares for its tables.
    op.create_table(
        SESSIONS,
        sa.Column("session_id", sa.String(), primary_key=True),
        sa.Column(
            "created_at",
            sa.TIMESTAMP(timezone=False),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.TIMESTAMP(timezone=False),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
        ),
    )
    op.create_table(
        MESSAGES,
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "session_id",
            sa.String(),
            sa.ForeignKey(f"{SESSIONS}.session_id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("message_data", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            sa.TIMESTAMP(timezone=False),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(f"idx_{MESSAGES}_session_time", MESSAGES, ["session_id", "created_at"])
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if {OLD_SESSIONS, OLD_MESSAGES} <= existing:
        op.execute(
            f"INSERT INTO {SESSIONS} (session_id, created_at, updated_at) "
            f"SELECT session_id, created_at, updated_at FROM {OLD_SESSIONS}"
        )
        op.execute(
            f"INSERT INTO {MESSAGES} (session_id, message_data, created_at) "
            f"SELECT session_id, message_data, created_at FROM {OLD_MESSAGES} ORDER BY id"
        )


def downgrade() -> None:
    op.drop_index(f"idx_{MESSAGES}_session_time", MESSAGES)
    op.drop_table(MESSAGES)
    op.drop_table(SESSIONS)
    with op.batch_alter_table("bookctl_turns") as batch:
        batch.drop_column("context")
    with op.batch_alter_table("bookctl_sessions") as batch:
        batch.drop_column("origin")
