"""the rate limit's counts, shared by every worker of `bookctl serve` on one database

Revision ID: 0005
Revises: 0004

- bookctl_rate_hits: how many questions a reader (key: "user:<id>" or "ip:<address>") asked in one
  window of a limit (window_start: epoch seconds, a multiple of the limit's period), counted with
  an upsert so that workers and machines on the same Postgres share the limit.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bookctl_rate_hits",
        sa.Column("key", sa.String(300), primary_key=True),
        sa.Column("period", sa.Integer(), primary_key=True),
        sa.Column("window_start", sa.BigInteger(), primary_key=True),
        sa.Column("hits", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("bookctl_rate_hits")
