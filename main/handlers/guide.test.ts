import { describe, expect, it } from 'vitest';
import { handlerApp, scriptedDialogs } from '../../tests/helpers/handlers';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { ERROR_CODES } from '../shared/errors';
import { GUIDE_TOPICS, guideFileName, isGuideSection } from '../shared/guide';
import ja from '../shared/i18n/ja.json';
import { VALIDATION_CODES } from '../shared/validation';

const { setup } = handlerApp(tempDirsPerTest());

function withGuide() {
  const env = setup(scriptedDialogs([], []));
  const opened: [string, string | null][] = [];
  env.ctx.openGuide = (locale, section) => opened.push([locale, section]);
  return { ...env, opened };
}

describe('guide:open', () => {
  it('opens the guide in the app language at a topic or an error code, or at its start', async () => {
    const { call, opened } = withGuide();
    expect(await call('openGuide', { section: 'STORE_LOCKED' })).toEqual({ opened: true });
    expect(await call('openGuide', { section: 'bulk-edit' })).toEqual({ opened: true });
    await call('setLocale', { locale: 'en' });
    expect(await call('openGuide', {})).toEqual({ opened: true });
    expect(opened).toEqual([
      ['ja', 'STORE_LOCKED'],
      ['ja', 'bulk-edit'],
      ['en', null],
    ]);
  });

  it('refuses anything that is not one of the guide sections: paths, URLs, scripts, other anchors', async () => {
    const { failure, opened } = withGuide();
    for (const section of [
      '',
      '../../../etc/passwd',
      'C:\\Windows\\System32\\calc.exe',
      'file:///etc/passwd',
      'https://evil.example/#import',
      'javascript:alert(1)',
      'import#x',
      'import ',
      'IMPORT',
      'store_locked',
      'toString',
      '__proto__',
      'sync-',
      'x'.repeat(1000),
    ]) {
      expect((await failure('openGuide', { section })).code, section).toBe('INVALID_INPUT');
    }
    expect((await failure('openGuide', { section: 42 } as unknown as { section: string })).code).toBe('INVALID_INPUT');
    expect(opened).toEqual([]);
  });

  it('answers opened: false where there is no guide window (tests, the command line)', async () => {
    const { call } = setup(scriptedDialogs([], []));
    expect(await call('openGuide', { section: 'import' })).toEqual({ opened: false });
  });
});

describe('guide sections', () => {
  it('include every topic, error code, validation code and kind of sync failure, and nothing else', () => {
    for (const section of [...GUIDE_TOPICS, ...ERROR_CODES, ...VALIDATION_CODES]) expect(isGuideSection(section), section).toBe(true);
    for (const kind of Object.keys(ja.syncErrors)) expect(isGuideSection(`sync-${kind}`), kind).toBe(true);
    expect(isGuideSection('hasOwnProperty')).toBe(false);
    expect(isGuideSection(undefined)).toBe(false);
  });

  it('name one of two files, by language only', () => {
    expect(guideFileName('ja')).toBe('ja.html');
    expect(guideFileName('en')).toBe('en.html');
    expect(guideFileName('../../x')).toBe('ja.html');
  });
});
