import { describe, expect, it } from 'vitest';
import { cli } from '../../tests/helpers/cli';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { BackendUrl, channels } from '../shared/contract';
import { AppError } from '../shared/errors';
import { generateKey } from '../store/key';
import { integerText, parseOption } from './input';

const tempDir = tempDirsPerTest();

function refusal(fn: () => unknown): { code: string; params: unknown } {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, params: error.params };
    throw error;
  }
  throw new Error('accepted');
}

describe('command-line options through the contract schemas', () => {
  it('accepts what the app accepts and names the option it refuses', () => {
    expect(parseOption(channels.saveRetention.input.shape.days, 30, 'days')).toBe(30);
    expect(parseOption(channels.runImport.input.shape.saveTemplateAs, '  標準 ', '--save-template')).toBe('標準');
    expect(refusal(() => parseOption(channels.saveRetention.input.shape.days, 0, 'days'))).toEqual({
      code: 'INVALID_INPUT',
      params: { option: 'days' },
    });
    expect(refusal(() => parseOption(channels.editField.input.shape.field, 'password', '--field'))).toEqual({
      code: 'INVALID_INPUT',
      params: { option: '--field' },
    });
    expect(refusal(() => parseOption(channels.editField.input.shape.row, integerText('2.5'), '--row')).params).toEqual({ option: '--row' });
    expect(parseOption(channels.editField.input.shape.row, integerText(' 12 '), '--row')).toBe(12);
    expect(parseOption(channels.editField.input.shape.row, integerText(undefined), '--row')).toBeUndefined();
  });

  it('reports the backend URL policy with its own code, as the app does', () => {
    expect(refusal(() => parseOption(BackendUrl, 'http://orders.example.co.jp', '--url'))).toEqual({
      code: 'BACKEND_URL_INSECURE',
      params: { host: 'orders.example.co.jp' },
    });
    expect(refusal(() => parseOption(BackendUrl, 'https://user:pw@orders.example.co.jp', '--url')).code).toBe('BACKEND_URL_INVALID');
  });

  it('refuses bad options before touching the store: nothing written, nothing audited', async () => {
    const dataDir = tempDir();
    const env = { ORDER_STAGER_KEY: generateKey(), LANG: 'en_US.UTF-8' };
    const run = (...args: string[]) => cli(['--data-dir', dataDir, ...args], env);
    for (const args of [
      ['retention', 'set', '0'],
      ['edit', '1', 'PO-1', '--field', 'password', '--value', 'x'],
      ['export', '0', '--out', `${dataDir}/x.csv`],
      ['export', '1', '--lang', 'fr', '--out', `${dataDir}/x.csv`],
      ['ready', 'abc'],
      ['hold', '-3'],
    ]) {
      const result = await run(...args);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr, args.join(' ')).toMatch(/\[INVALID_INPUT\]/);
    }
    const audit = await run('audit', 'list', '--json');
    expect(JSON.parse(audit.stdout)).toEqual([]);
    expect(JSON.parse((await run('retention', 'show', '--json')).stdout)).toEqual({ retention_days: null });
  });
});
