-- Fewer indexes on request_records: each one is a B-tree written on every INSERT (a 10,000-image folder writes
-- 10,000 rows in one transaction: index upkeep was ~85 % of its accept CPU on H2) and, when it holds the state, on
-- every state change (three per job).
-- - by_state: only the gauges read state for all rows (one GROUP BY per scrape, at most every 5 s), which is a scan
--   of every row with or without it.
-- - by_age: only the retention purge reads accepted_at, once per gateway.db.purge-interval-ms (hourly): one scan.
-- - by_exam_request keeps the exam's images (exam_completed lists them) without the state, which changed on every
--   state change of every image and which no query filters on.
DROP INDEX request_records_by_state;
DROP INDEX request_records_by_age;
DROP INDEX request_records_by_exam_request;
CREATE INDEX request_records_by_exam_request ON request_records (exam_request_uuid);
