-- Per-day event counts, refreshed by the nightly job through refresh_daily_event_counts().
-- The function pins the search_path it was created with, so callers need not set theirs.

-- migrate:up
CREATE TABLE daily_event_counts (
    day date NOT NULL,
    tenant_id uuid NOT NULL,
    name text NOT NULL,
    events bigint NOT NULL CHECK (events >= 0),
    PRIMARY KEY (day, tenant_id, name)
);

CREATE FUNCTION refresh_daily_event_counts(target_day date) RETURNS bigint
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
    written bigint;
BEGIN
    DELETE FROM daily_event_counts WHERE day = target_day;
    INSERT INTO daily_event_counts (day, tenant_id, name, events)
    SELECT target_day, tenant_id, name, count(*)
    FROM events
    WHERE occurred_at >= target_day AND occurred_at < target_day + 1
    GROUP BY tenant_id, name;
    GET DIAGNOSTICS written = ROW_COUNT;
    RETURN written;
END;
$$;

-- migrate:down
DROP FUNCTION refresh_daily_event_counts(date);
DROP TABLE daily_event_counts;
