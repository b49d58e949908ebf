"""the ChatKit store of `bookctl serve`, feedback on turns

Revision ID: 0004
Revises: 0003

- bookctl_chatkit_threads: a ChatKit thread (its metadata as ChatKit serializes it), keyed by the
  thread id, which is also the id of its bookctl session (bookctl_sessions.id, origin "web").
- bookctl_chatkit_items: the thread's items in the order they were stored (seq); an assistant
  message keeps the id of the logged turn that produced it (turn_id) and the reader's feedback.
- bookctl_chatkit_attachments: attachment metadata (ChatKit's Store interface has it; bookctl
  serve accepts no uploads today).
- bookctl_turns.feedback: "positive" / "negative" from the reader, null when none was given.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bookctl_chatkit_threads",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("user", sa.String(200), nullable=True, index=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
    )
    op.create_table(
        "bookctl_chatkit_items",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(64), nullable=False, unique=True),
        sa.Column(
            "thread_id",
            sa.String(64),
            sa.ForeignKey("bookctl_chatkit_threads.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("turn_id", sa.String(64), nullable=True),
        sa.Column("feedback", sa.String(16), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "bookctl_chatkit_attachments",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("user", sa.String(200), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
    )
    with op.batch_alter_table("bookctl_turns") as batch:
        batch.add_column(sa.Column("feedback", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("bookctl_turns") as batch:
        batch.drop_column("feedback")
    op.drop_table("bookctl_chatkit_attachments")
    op.drop_table("bookctl_chatkit_items")
    op.drop_table("bookctl_chatkit_threads")
