-- Feature flags and the plans that include them.

-- migrate:up
CREATE TABLE feature_flags (
    key text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_]*$'),
    description text NOT NULL,
    enabled_by_default boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE plan_features (
    plan_id text NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    flag_key text NOT NULL REFERENCES feature_flags (key) ON DELETE CASCADE,
    PRIMARY KEY (plan_id, flag_key)
);

INSERT INTO feature_flags (key, description, enabled_by_default) VALUES
    ('invoicing', 'Create and send invoices', true),
    ('multi_currency', 'Invoice in more than one currency', false),
    ('audit_log', 'Keep a per-tenant audit log', false);

INSERT INTO plan_features (plan_id, flag_key) VALUES
    ('growth', 'multi_currency'),
    ('enterprise', 'multi_currency'),
    ('enterprise', 'audit_log');

-- migrate:down
DROP TABLE plan_features;
DROP TABLE feature_flags;
