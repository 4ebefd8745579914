"""Ett id (händelsens nyckel) får vara högst 100 tecken, i varje databas.

SQLite tar emot längre text i en VARCHAR(100) utan att säga något; importen kontrollerar längden,
men registret ska själv vägra. I PostgreSQL läggs en CHECK-begränsning till. I SQLite går en
CHECK inte att lägga till utan att bygga om tabellen (och historiken ska inte kopieras om), så
samma regel blir en trigger som vägrar raden före INSERT.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

NYCKEL_MAX = 100


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute(
            "CREATE TRIGGER handelse_nyckel_langd BEFORE INSERT ON handelse "
            f"WHEN length(NEW.nyckel) > {NYCKEL_MAX} "
            f"BEGIN SELECT RAISE(ABORT, 'Ett id får vara högst {NYCKEL_MAX} tecken'); END"
        )
    else:
        op.create_check_constraint(
            "handelse_nyckel_langd", "handelse", f"char_length(nyckel) <= {NYCKEL_MAX}"
        )


def downgrade() -> None:
    raise NotImplementedError("Registret nedgraderas inte: historiken är juridiskt material.")
