-- Reports filter events by name. The events table is small in the demo fleet, so a plain index
-- build is acceptable there; the plan flags it so operators see the write lock it takes.

-- migrate:up
CREATE INDEX events_name_idx ON events (name, occurred_at);

-- migrate:down
DROP INDEX events_name_idx;
