-- Statements about statements (a StatementRef object: voiding statements and the like) in seq
-- order, so that a query can add those whose target matches its filters (xAPI Communication
-- 2.1.3) without reading the whole store.
CREATE INDEX xapi_statements_statementref_idx ON xapi_statements (seq) WHERE object_type = 'StatementRef';
