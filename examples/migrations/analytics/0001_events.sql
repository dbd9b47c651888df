-- Product events from every tenant of the region, append-only.

-- migrate:up
CREATE TABLE events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id uuid NOT NULL,
    name text NOT NULL,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    properties jsonb NOT NULL DEFAULT '{}'::jsonb
);

CREATE INDEX events_tenant_time_idx ON events (tenant_id, occurred_at);

-- migrate:down
DROP TABLE events;
