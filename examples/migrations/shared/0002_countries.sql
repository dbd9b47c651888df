-- ISO 3166 countries with the currency they invoice in by default.

-- migrate:up
CREATE TABLE countries (
    code char(2) PRIMARY KEY CHECK (code ~ '^[A-Z]{2}$'),
    name text NOT NULL,
    default_currency char(3) NOT NULL REFERENCES currencies (code)
);

INSERT INTO countries (code, name, default_currency) VALUES
    ('US', 'United States', 'USD'),
    ('DE', 'Germany', 'EUR'),
    ('FR', 'France', 'EUR'),
    ('GB', 'United Kingdom', 'GBP'),
    ('CH', 'Switzerland', 'CHF'),
    ('JP', 'Japan', 'JPY'),
    ('SE', 'Sweden', 'SEK');

-- migrate:down
DROP TABLE countries;
