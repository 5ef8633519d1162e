-- BYOT's two least-privilege PostgreSQL roles; run by the server's administrator (deploy/azure/postgres-roles.sh in
-- the Azure template, or psql by hand on any server). Idempotent: every deployment runs it and sets the passwords.
-- Placeholders: {app}, {runner}, {database} (quoted identifiers), {app_password}, {runner_password} (quoted literals).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{app_name}') THEN
        CREATE ROLE {app} LOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{runner_name}') THEN
        CREATE ROLE {runner} LOGIN;
    END IF;
END
$$;

-- No server rights: neither role can make roles or databases, or read other databases.
ALTER ROLE {app} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD {app_password};
ALTER ROLE {runner} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD {runner_password};
REVOKE ALL ON DATABASE {database} FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {app}, {runner};

-- The app owns BYOT's tables: it applies the migrations (Byot:Database:MigrateOnStart on the Functions app).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO {app};
GRANT USAGE ON SCHEMA public TO {runner};

-- Runners read and write rows of every table the app makes, now and after later migrations; they change no schema.
-- (ALTER DEFAULT PRIVILEGES FOR ROLE needs the administrator to be a member of the app role.)
GRANT {app} TO CURRENT_USER;
ALTER DEFAULT PRIVILEGES FOR ROLE {app} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {runner};
ALTER DEFAULT PRIVILEGES FOR ROLE {app} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {runner};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {runner};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {runner};
