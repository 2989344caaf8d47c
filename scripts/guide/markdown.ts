/**
 * The staff guide's Markdown as a stand-alone HTML page, for the app's guide window (no network, no script).
 * Only what the guide uses: headings, paragraphs, lists, tables, images, links to anchors, bold, code,
 * blockquotes, and `<a id="…"></a>` anchors. Everything else is text: HTML in the Markdown is escaped.
 */

const ANCHOR = /<a id="([A-Za-z0-9_-]+)"><\/a>/g;

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Inline Markdown: anchors, code, images, links (same page or relative files only), bold. */
export function inline(text: string): string {
  const anchors: string[] = [];
  const codes: string[] = [];
  let out = text.replace(ANCHOR, (_m, id: string) => {
    anchors.push(id);
    return `\uE000A${anchors.length - 1}\uE000`;
  });
  out = out.replace(/`([^`]+)`/g, (_m, code: string) => {
    codes.push(code);
    return `\uE000C${codes.length - 1}\uE000`;
  });
  out = escapeHtml(out);
  out = out.replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, (_m, alt: string, src: string) =>
    safeHref(src) ? `<img src="${src}" alt="${alt}" loading="lazy">` : alt,
  );
  out = out.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_m, label: string, href: string) =>
    safeHref(href) ? `<a href="${href}">${label}</a>` : label,
  );
  out = out.replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
  out = out.replace(/\uE000C(\d+)\uE000/g, (_m, i: string) => `<code>${escapeHtml(codes[Number(i)] ?? '')}</code>`);
  // An empty <span> carries the anchor in HTML: an <a> with no href and no text is not a link (a11y lint).
  return out.replace(/\uE000A(\d+)\uE000/g, (_m, i: string) => `<span id="${anchors[Number(i)] ?? ''}"></span>`);
}

/** Anchors on the page and files beside it (img/…): never a scheme (javascript:, https:, file:). */
function safeHref(href: string): boolean {
  return /^(#[A-Za-z0-9_-]+|[A-Za-z0-9_./-]+\.(png|html|md)(#[A-Za-z0-9_-]+)?)$/.test(href) && !href.includes('..');
}

function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim().replace(/\\\|/g, '|'));
}

/** The Markdown body as HTML. */
export function markdownToHtml(markdown: string): string {
  const lines = markdown.replace(/<!--[\s\S]*?-->/g, '').split('\n');
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (!line.trim()) {
      i += 1;
      continue;
    }
    const heading = /^(#{1,4}) (.*)$/.exec(line);
    if (heading) {
      const level = heading[1]?.length ?? 1;
      out.push(`<h${level}>${inline(heading[2] ?? '')}</h${level}>`);
      i += 1;
      continue;
    }
    if (/^<a id="[A-Za-z0-9_-]+"><\/a>$/.test(line.trim())) {
      out.push(inline(line.trim()));
      i += 1;
      continue;
    }
    if (line.startsWith('|') && /^\|[\s:|-]+\|$/.test((lines[i + 1] ?? '').trim())) {
      const head = cells(line);
      i += 2;
      const rows: string[][] = [];
      while ((lines[i] ?? '').startsWith('|')) {
        rows.push(cells(lines[i] ?? ''));
        i += 1;
      }
      out.push(
        `<table><thead><tr>${head.map((c) => `<th>${inline(c)}</th>`).join('')}</tr></thead><tbody>${rows
          .map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`)
          .join('')}</tbody></table>`,
      );
      continue;
    }
    const list = /^(- |\d+\. )/.exec(line);
    if (list) {
      const ordered = list[1] !== '- ';
      const items: string[] = [];
      const item = ordered ? /^\d+\. / : /^- /;
      while (item.test(lines[i] ?? '')) {
        items.push((lines[i] ?? '').replace(/^(- |\d+\. )/, ''));
        i += 1;
      }
      const tag = ordered ? 'ol' : 'ul';
      out.push(`<${tag}>${items.map((item) => `<li>${inline(item)}</li>`).join('')}</${tag}>`);
      continue;
    }
    if (line.startsWith('> ')) {
      const quoted: string[] = [];
      while ((lines[i] ?? '').startsWith('> ')) {
        quoted.push((lines[i] ?? '').slice(2));
        i += 1;
      }
      out.push(`<blockquote><p>${quoted.map(inline).join('<br>')}</p></blockquote>`);
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length && (lines[i] ?? '').trim() && !/^(#{1,4} |- |\d+\. |\||> |<a id=)/.test(lines[i] ?? '')) {
      paragraph.push(lines[i] ?? '');
      i += 1;
    }
    out.push(`<p>${paragraph.map(inline).join('<br>')}</p>`);
  }
  return out.join('\n');
}

const STYLE = `
body { font-family: system-ui, "Hiragino Sans", "Yu Gothic UI", "Noto Sans CJK JP", sans-serif; line-height: 1.7;
  color: #1c2430; max-width: 980px; margin: 0 auto; padding: 24px 32px 64px; }
h1 { font-size: 1.7em; border-bottom: 2px solid #2456b8; padding-bottom: 6px; }
h2 { font-size: 1.35em; margin-top: 2.2em; border-bottom: 1px solid #d5dbe5; padding-bottom: 4px; }
h3 { font-size: 1.1em; margin-top: 1.6em; }
img { max-width: 100%; border: 1px solid #d5dbe5; border-radius: 6px; margin: 8px 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.92em; margin: 12px 0; }
th, td { border: 1px solid #d5dbe5; padding: 6px 8px; vertical-align: top; text-align: left; }
th { background: #f2f5f9; }
code { background: #f2f5f9; padding: 1px 4px; border-radius: 3px; font-size: 0.92em; }
blockquote { border-left: 4px solid #2456b8; margin: 12px 0; padding: 4px 12px; background: #f6f8fc; }
:target { background: #fff6d6; }
a[id] { scroll-margin-top: 4em; }
tr:has(:target) { background: #fff6d6; }
`;

/** A whole page: the guide's own styles, no script, nothing loaded from anywhere but the guide's folder. */
export function htmlPage(markdown: string, lang: 'ja' | 'en'): string {
  const title = /^# (.*)$/m.exec(markdown)?.[1] ?? 'Order Stager';
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self' file:; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${markdownToHtml(markdown)}
</body>
</html>
`;
}
