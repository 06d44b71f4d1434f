-- Request references (REQ-<year>-<number>) take their number from a sequence instead of a per-year
-- counter row. The row was locked from the moment a filing took its number until the transaction
-- committed (about ten statements), so every filing waited for the one before it. A sequence hands
-- out numbers without a lock. Numbers keep rising across years and a rolled-back filing leaves a
-- gap; they stay unique, and the first is above every number already used.
CREATE SEQUENCE "request_reference_seq";
SELECT setval('request_reference_seq', COALESCE((SELECT max("last") FROM "request_counter"), 0) + 1, false);
DROP TABLE "request_counter";
