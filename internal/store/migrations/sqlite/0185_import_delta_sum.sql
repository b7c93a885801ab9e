-- import_delta notes the sum of an entity's statements before an import
-- (store.Import: an entity whose statements end as they were is not
-- changed). The table is empty between imports; the next import creates it
-- again with its new column. On PostgreSQL staging tables are temporary.
DROP TABLE IF EXISTS import_delta;
