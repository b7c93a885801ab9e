-- An import's staging tables are import_tally and import_delta since they
-- tell the delta by record too; the former ones (always empty between
-- imports) go. On PostgreSQL staging tables are temporary.
DROP TABLE IF EXISTS import_entities;
DROP TABLE IF EXISTS import_changed;
