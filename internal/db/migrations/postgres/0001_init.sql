-- learnloop schema 1 (PostgreSQL): settings, organization, people, accounts, sessions, tokens, audit, imports.
-- Paths and sort keys use the C collation so that range scans and ordering match SQLite byte order.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE org_units (
    id         TEXT PRIMARY KEY,
    code       TEXT NOT NULL,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('company', 'division', 'department', 'team')),
    parent_id  TEXT REFERENCES org_units (id),
    path       TEXT COLLATE "C" NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX org_units_code_key ON org_units (lower(code));
CREATE INDEX org_units_parent_idx ON org_units (parent_id);
CREATE INDEX org_units_path_idx ON org_units (path);

CREATE TABLE job_roles (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX job_roles_name_key ON job_roles (lower(name));

CREATE TABLE people (
    id              TEXT PRIMARY KEY,
    employee_number TEXT,
    given_name      TEXT NOT NULL,
    family_name     TEXT NOT NULL,
    email           TEXT,
    job_title       TEXT NOT NULL DEFAULT '',
    job_role_id     TEXT REFERENCES job_roles (id),
    org_unit_id     TEXT REFERENCES org_units (id),
    manager_id      TEXT REFERENCES people (id),
    location        TEXT NOT NULL DEFAULT '',
    time_zone       TEXT NOT NULL DEFAULT '',
    hire_date       DATE,
    status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'left')),
    left_on         DATE,
    reports_path    TEXT COLLATE "C" NOT NULL,
    sort_name       TEXT COLLATE "C" NOT NULL,
    search_text     TEXT NOT NULL,
    search          TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX people_employee_number_key ON people (employee_number);
CREATE UNIQUE INDEX people_email_key ON people (email);
CREATE INDEX people_sort_idx ON people (sort_name, id);
CREATE INDEX people_manager_idx ON people (manager_id, status);
CREATE INDEX people_org_unit_idx ON people (org_unit_id, sort_name);
CREATE INDEX people_job_role_idx ON people (job_role_id);
CREATE INDEX people_location_idx ON people (location);
CREATE INDEX people_reports_path_idx ON people (reports_path);
CREATE INDEX people_search_idx ON people USING gin (search);

CREATE TABLE accounts (
    id                  TEXT PRIMARY KEY,
    person_id           TEXT NOT NULL UNIQUE REFERENCES people (id),
    password_hash       TEXT NOT NULL DEFAULT '',
    disabled_at         TIMESTAMPTZ,
    password_changed_at TIMESTAMPTZ,
    last_login_at       TIMESTAMPTZ,
    created_at          TIMESTAMPTZ NOT NULL
);

CREATE TABLE account_roles (
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('lnd_admin', 'hr_admin', 'sys_admin')),
    granted_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account_id, role)
);

CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    ip           TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_account_idx ON sessions (account_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE,
    prefix       TEXT NOT NULL,
    scopes       TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX api_tokens_account_idx ON api_tokens (account_id);

CREATE TABLE password_resets (
    id         TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);
CREATE INDEX password_resets_account_idx ON password_resets (account_id);

CREATE TABLE login_failures (
    key TEXT NOT NULL,
    at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_key_idx ON login_failures (key, at);

CREATE TABLE audit_log (
    id               TEXT PRIMARY KEY,
    at               TIMESTAMPTZ NOT NULL,
    actor_account_id TEXT,
    actor_name       TEXT NOT NULL,
    action           TEXT NOT NULL,
    target_type      TEXT NOT NULL DEFAULT '',
    target_id        TEXT NOT NULL DEFAULT '',
    summary          TEXT NOT NULL,
    details          TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_action_idx ON audit_log (action, id);
CREATE INDEX audit_log_target_idx ON audit_log (target_id);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_account_id);

CREATE TABLE imports (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    filename   TEXT NOT NULL,
    options    TEXT NOT NULL DEFAULT '{}',
    content    BYTEA NOT NULL,
    created_by TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('previewed', 'applied', 'discarded')),
    applied_at TIMESTAMPTZ,
    summary    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX imports_created_idx ON imports (created_at);
