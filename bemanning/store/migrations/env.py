"""Alembic-miljön. Registret kör migreringarna själv när det öppnas (se register.open_register)."""

from alembic import context

from bemanning.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
