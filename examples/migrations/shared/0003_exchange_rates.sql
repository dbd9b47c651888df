-- Daily reference rates, written by the region's rate importer and read by tenant reports.

-- migrate:up
CREATE TABLE exchange_rates (
    base_currency char(3) NOT NULL REFERENCES currencies (code),
    quote_currency char(3) NOT NULL REFERENCES currencies (code),
    as_of date NOT NULL,
    rate numeric(18, 8) NOT NULL CHECK (rate > 0),
    PRIMARY KEY (base_currency, quote_currency, as_of),
    CHECK (base_currency <> quote_currency)
);

-- migrate:down
DROP TABLE exchange_rates;
