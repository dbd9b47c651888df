-- transaction: false
-- timeout: 900s
-- Collections look up open invoices by due date. Tenants already hold invoices, so the index is
-- built CONCURRENTLY (writes continue meanwhile), which PostgreSQL refuses inside a transaction.

-- migrate:up
CREATE INDEX CONCURRENTLY IF NOT EXISTS invoices_open_due_date_idx
    ON invoices (due_date)
    WHERE status IN ('draft', 'issued');

-- migrate:down
DROP INDEX CONCURRENTLY IF EXISTS invoices_open_due_date_idx;
