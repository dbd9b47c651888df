-- requires: shared/0001_currencies
-- Invoices reference the region's shared currencies table (public.currencies via search_path), so
-- the region's shared target must have its currencies before a tenant gets this migration.

-- migrate:up
CREATE TABLE invoices (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id uuid NOT NULL REFERENCES accounts (id),
    number text NOT NULL UNIQUE,
    currency_code char(3) NOT NULL REFERENCES currencies (code),
    status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'issued', 'paid', 'void')),
    issued_at timestamptz,
    due_date date,
    total_cents bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX invoices_account_idx ON invoices (account_id);

-- migrate:down
DROP TABLE invoices;
