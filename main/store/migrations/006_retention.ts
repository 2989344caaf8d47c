import type { Migration } from './index';

/**
 * Retention covers every order: `purged_at` marks an order whose personal data was removed (it is never
 * synced, edited or re-imported again). The edit log keeps who changed which field and when, but no
 * longer a hash of the old and new values: an unsalted SHA-256 of an email or token is matched by a
 * dictionary, and the edit log must not outlive the values it describes.
 */
export const m006_retention: Migration = {
  version: 6,
  name: 'retention',
  sql: `
ALTER TABLE orders ADD COLUMN purged_at TEXT;
-- The daily purge looks for orders not purged yet in old batches: purged ones drop out of this index.
CREATE INDEX orders_unpurged_by_batch ON orders(batch_id) WHERE purged_at IS NULL;
ALTER TABLE order_edits DROP COLUMN old_hash;
ALTER TABLE order_edits DROP COLUMN new_hash;
`,
};
