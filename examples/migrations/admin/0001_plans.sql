-- Subscription plans a tenant can be on. Prices are in cents of the fleet's billing currency.

-- migrate:up
CREATE TABLE plans (
    id text PRIMARY KEY,
    name text NOT NULL,
    monthly_price_cents integer NOT NULL CHECK (monthly_price_cents >= 0),
    max_users integer CHECK (max_users IS NULL OR max_users > 0),
    created_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO plans (id, name, monthly_price_cents, max_users) VALUES
    ('starter', 'Starter', 0, 5),
    ('growth', 'Growth', 4900, 50),
    ('enterprise', 'Enterprise', 49900, NULL);

-- migrate:down
DROP TABLE plans;
