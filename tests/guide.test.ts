import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { GUIDE_RESOURCE_DIR, guideLocation } from '../main/app/guide';
import { GUIDE_CODE_ANCHORS, GUIDE_TOPICS, isGuideSection } from '../main/shared/guide';
import { GUIDE_DIR, GUIDE_LANGS, guideFiles } from '../scripts/guide/build';
import { inline, markdownToHtml } from '../scripts/guide/markdown';
import { SHOTS } from '../scripts/guide/shots';

const read = (name: string) => readFileSync(join(GUIDE_DIR, name), 'utf8');
// Markdown anchors are <a id>, the HTML pages' are <span id>.
const anchors = (text: string) => [...text.matchAll(/<(?:a|span) id="([^"]+)"><\/(?:a|span)>/g)].map((m) => m[1]);

describe('the staff guide', () => {
  it('is up to date with the app messages (run npm run guide:build when this fails)', () => {
    for (const [path, text] of guideFiles()) expect(readFileSync(path, 'utf8'), path).toBe(text);
  });

  it('has a section for every topic and a row for every error code, validation code and sync failure, in both languages', () => {
    for (const lng of GUIDE_LANGS) {
      for (const file of [`${lng}.md`, `${lng}.html`]) {
        const found = anchors(read(file));
        for (const section of [...GUIDE_TOPICS, ...GUIDE_CODE_ANCHORS]) expect(found, `${file} #${section}`).toContain(section);
        // Every anchor is one the app may open; none twice.
        expect(
          found.filter((a) => !isGuideSection(a)),
          file,
        ).toEqual([]);
        expect(new Set(found).size, file).toBe(found.length);
      }
    }
  });

  it('links only to its own anchors and shows only pictures the screenshot script takes', () => {
    for (const lng of GUIDE_LANGS) {
      const markdown = read(`${lng}.md`);
      const own = new Set(anchors(markdown));
      for (const [, target] of markdown.matchAll(/\]\(#([^)]+)\)/g)) expect(own.has(target ?? ''), `${lng}.md #${target}`).toBe(true);
      const pictures = [...markdown.matchAll(/!\[[^\]]*\]\(img\/([^)]+)\.png\)/g)].map((m) => m[1]);
      expect(pictures.length).toBeGreaterThan(10);
      for (const picture of pictures) {
        expect(
          SHOTS.map((s) => `${lng}-${s}`),
          picture,
        ).toContain(picture);
        expect(existsSync(join(GUIDE_DIR, 'img', `${picture}.png`)), `${picture}.png`).toBe(true);
      }
    }
  });

  it('renders Markdown as text: HTML and other schemes in it never reach the page', () => {
    const html = markdownToHtml(
      '# T\n\n<script>alert(1)</script> [x](javascript:alert(1)) ![y](https://evil.example/a.png) [z](../../etc/passwd.html)\n\n<img src=x onerror=alert(1)>',
    );
    expect(html).not.toMatch(/<script|<img src=x|href="javascript|src="https|\.\.\//);
    expect(inline('<a id="STORE_LOCKED"></a>`a|b` **b** [c](#import) ![d](img/ja-batches.png)')).toBe(
      '<span id="STORE_LOCKED"></span><code>a|b</code> <strong>b</strong> <a href="#import">c</a> <img src="img/ja-batches.png" alt="d" loading="lazy">',
    );
    expect(markdownToHtml('| a | b |\n| --- | --- |\n| 1 \\| 2 | 3 |')).toBe(
      '<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1 | 2</td><td>3</td></tr></tbody></table>',
    );
  });

  it('pages load nothing from outside and run no script', () => {
    for (const lng of GUIDE_LANGS) {
      const html = read(`${lng}.html`);
      expect(html).toContain(`<html lang="${lng}">`);
      expect(html).toContain("default-src 'none'");
      expect(html).not.toMatch(/<script|(src|href)="(?!#|img\/)/);
    }
  });

  it('ships with the app where the guide window looks for it, in a checkout and packaged', () => {
    const ROOT = join(GUIDE_DIR, '..', '..');
    const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as {
      extraResources: { from: string; to: string; filter?: string[] }[];
    };
    const shipped = config.extraResources.find((entry) => entry.to === GUIDE_RESOURCE_DIR);
    expect(shipped?.from).toBe('docs/guide');
    expect(shipped?.filter).toEqual(['*.html', 'img/*.png']);
    const packaged = guideLocation({
      packaged: true,
      resourcesPath: '/opt/app/resources',
      appRoot: ROOT,
      locale: 'en',
      section: 'STORE_LOCKED',
    });
    expect(packaged).toEqual({ file: join('/opt/app/resources', 'guide', 'en.html'), hash: 'STORE_LOCKED' });
    const checkout = guideLocation({ packaged: false, resourcesPath: '', appRoot: ROOT, locale: 'ja', section: '../x' });
    expect(checkout).toEqual({ file: join(GUIDE_DIR, 'ja.html'), hash: undefined });
    expect(existsSync(checkout.file)).toBe(true);
  });
});
