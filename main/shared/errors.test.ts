import { describe, expect, it } from 'vitest';
import { AppError, toErrorInfo } from './errors';

describe('toErrorInfo', () => {
  it('keeps an AppError, names a busy store, and hides anything else behind INTERNAL', () => {
    expect(toErrorInfo(new AppError('IMPORT_CANCELLED', {}))).toEqual({ code: 'IMPORT_CANCELLED', params: {} });
    // better-sqlite3's SqliteError after the busy timeout: its message (SQL) never crosses.
    expect(toErrorInfo(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }))).toEqual({
      code: 'STORE_BUSY',
      params: {},
    });
    expect(toErrorInfo(Object.assign(new Error('no such table: x'), { code: 'SQLITE_ERROR' }))).toEqual({ code: 'INTERNAL', params: {} });
    expect(toErrorInfo('text')).toEqual({ code: 'INTERNAL', params: {} });
  });
});
