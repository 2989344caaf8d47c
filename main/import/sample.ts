/**
 * Moved to scripts/fixtures/sample-sheets.ts (test and demo fixtures do not belong in main/). This re-export
 * stays only until tests/helpers/sync.ts, tests/chaos/sync-chaos.test.ts and scripts/bench/sync.ts (owned by
 * the sync work of issue 16) import the new path; delete it then.
 */
export * from '../../scripts/fixtures/sample-sheets';
