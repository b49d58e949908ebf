"""Alembic environment: migrations run on a connection bookctl hands over (see bookctl.db.log)."""

from alembic import context

from bookctl.db.tables import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    version_table="bookctl_alembic_version",
)
with context.begin_transaction():
    context.run_migrations()
