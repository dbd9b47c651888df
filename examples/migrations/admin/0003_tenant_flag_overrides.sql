-- Per-tenant exceptions to what the tenant's plan includes (trials, pilots, support escalations).

-- migrate:up
CREATE TABLE tenant_flag_overrides (
    tenant_id uuid NOT NULL,
    flag_key text NOT NULL REFERENCES feature_flags (key) ON DELETE CASCADE,
    enabled boolean NOT NULL,
    reason text,
    expires_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, flag_key)
);

-- migrate:down
DROP TABLE tenant_flag_overrides;
