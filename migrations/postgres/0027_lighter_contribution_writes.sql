-- The same change as migrations/sqlite/0027: the ledger's `hash` loses its UNIQUE
-- constraint (random keys: two random index pages written at every contribution, and
-- nothing looks an entry up by its hash; the chain itself guards the order), and
-- `contributions_by_author` goes (`contributions_by_member` starts with `author_id` and
-- holds `status`).
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_hash_key;
DROP INDEX contributions_by_author;
