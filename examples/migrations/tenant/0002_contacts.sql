-- People at a customer account. One e-mail address per account, whatever its case.

-- migrate:up
CREATE TABLE contacts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    full_name text NOT NULL,
    email text NOT NULL,
    phone text,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX contacts_account_idx ON contacts (account_id);
CREATE UNIQUE INDEX contacts_account_email_uq ON contacts (account_id, lower(email));

-- migrate:down
DROP TABLE contacts;
