-- Lines of an invoice; the amount is derived so it can never disagree with quantity × price.

-- migrate:up
CREATE TABLE invoice_lines (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    invoice_id uuid NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    position integer NOT NULL CHECK (position > 0),
    description text NOT NULL,
    quantity numeric(12, 2) NOT NULL CHECK (quantity > 0),
    unit_price_cents bigint NOT NULL CHECK (unit_price_cents >= 0),
    amount_cents bigint GENERATED ALWAYS AS (round(quantity * unit_price_cents)::bigint) STORED,
    UNIQUE (invoice_id, position)
);

-- migrate:down
DROP TABLE invoice_lines;
