#!/usr/bin/env bash
# Creates BYOT's least-privilege PostgreSQL roles (postgres-roles.sql) as the server's administrator. Run by the Azure
# template's deployment script inside BYOT's network; the connection comes from PGHOST/PGDATABASE/PGUSER/PGPASSWORD,
# the roles and their passwords from BYOT_APP_ROLE/BYOT_APP_PASSWORD/BYOT_RUNNER_ROLE/BYOT_RUNNER_PASSWORD and the
# SQL from BYOT_ROLES_SQL.
set -euo pipefail
# The deployment script's image has pip and the internet; a machine with Debian's python3-psycopg needs neither
# (the system's python3 has it even where another python3 comes first on the PATH).
py=python3
if ! "$py" -c 'import psycopg' 2>/dev/null; then
  if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import psycopg' 2>/dev/null; then
    py=/usr/bin/python3
  else
    "$py" -m pip install --quiet --disable-pip-version-check 'psycopg[binary]==3.3.9'
  fi
fi
"$py" - <<'PY'
import os
import psycopg
from psycopg import sql

env = os.environ
values = {
    "app": sql.Identifier(env["BYOT_APP_ROLE"]),
    "runner": sql.Identifier(env["BYOT_RUNNER_ROLE"]),
    "database": sql.Identifier(env["PGDATABASE"]),
    "app_password": sql.Literal(env["BYOT_APP_PASSWORD"]),
    "runner_password": sql.Literal(env["BYOT_RUNNER_PASSWORD"]),
    # Inside the DO block's string literals: role names are plain names there.
    "app_name": sql.SQL(env["BYOT_APP_ROLE"].replace("'", "''")),
    "runner_name": sql.SQL(env["BYOT_RUNNER_ROLE"].replace("'", "''")),
}
script = sql.SQL(env["BYOT_ROLES_SQL"]).format(**values)
# Everything else (TLS too: PGSSLMODE) comes from libpq's own environment variables.
with psycopg.connect(autocommit=True) as connection:
    connection.execute(script)
print("byot roles ready:", env["BYOT_APP_ROLE"], env["BYOT_RUNNER_ROLE"])
PY
