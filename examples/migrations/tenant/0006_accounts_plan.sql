-- requires: admin/0001_plans
-- Which plan an account bought. Plan ids live in the admin database, so there is no foreign key;
-- the requirement only makes sure the plans exist before tenants start naming them.

-- migrate:up
ALTER TABLE accounts ADD COLUMN plan_id text NOT NULL DEFAULT 'starter';

-- migrate:down
ALTER TABLE accounts DROP COLUMN plan_id;
