"""the query a turn searched with

Revision ID: 0003
Revises: 0002

- bookctl_turns.rewritten_query: the query the assistant searched the book with when it differs from
  the question (a follow-up made to stand alone: bookctl.agent.followup); null otherwise and for rows
  from before.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("bookctl_turns") as batch:
        batch.add_column(sa.Column("rewritten_query", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("bookctl_turns") as batch:
        batch.drop_column("rewritten_query")
