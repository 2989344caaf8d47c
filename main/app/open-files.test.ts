import { describe, expect, it } from 'vitest';
import { filesFromArgv } from './open-files';

describe('filesFromArgv', () => {
  it('keeps only spreadsheet paths, never flags or the executable', () => {
    expect(
      filesFromArgv([
        'C:\\Program Files\\Order Stager\\Order Stager.exe',
        '--allow-file-access-from-files',
        'C:\\Users\\sato\\Downloads\\11月発注.xlsx',
        '/home/sato/orders.CSV',
        '/home/sato/notes.docx',
        '--inspect=9229.csv',
      ]),
    ).toEqual(['C:\\Users\\sato\\Downloads\\11月発注.xlsx', '/home/sato/orders.CSV']);
  });
});
