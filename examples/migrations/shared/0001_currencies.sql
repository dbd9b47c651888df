-- ISO 4217 currencies, shared by every tenant schema of the region through search_path.

-- migrate:up
CREATE TABLE currencies (
    code char(3) PRIMARY KEY CHECK (code ~ '^[A-Z]{3}$'),
    name text NOT NULL,
    symbol text NOT NULL,
    minor_units smallint NOT NULL DEFAULT 2 CHECK (minor_units BETWEEN 0 AND 4)
);

INSERT INTO currencies (code, name, symbol, minor_units) VALUES
    ('USD', 'US Dollar', '$', 2),
    ('EUR', 'Euro', '€', 2),
    ('GBP', 'Pound Sterling', '£', 2),
    ('CHF', 'Swiss Franc', 'CHF', 2),
    ('JPY', 'Yen', '¥', 0),
    ('SEK', 'Swedish Krona', 'kr', 2);

-- migrate:down
DROP TABLE currencies;
