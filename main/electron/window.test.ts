import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/** The literal value of each property of an object literal (identifiers and calls as their source text). */
function literalProperties(node: ts.ObjectLiteralExpression, source: ts.SourceFile): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const property of node.properties) {
    if (ts.isSpreadAssignment(property)) {
      out[`...${property.expression.getText(source)}`] = true;
      continue;
    }
    if (!ts.isPropertyAssignment(property)) continue;
    const name = property.name.getText(source);
    const value = property.initializer;
    if (value.kind === ts.SyntaxKind.TrueKeyword) out[name] = true;
    else if (value.kind === ts.SyntaxKind.FalseKeyword) out[name] = false;
    else if (ts.isStringLiteral(value)) out[name] = value.text;
    else if (ts.isObjectLiteralExpression(value)) out[name] = literalProperties(value, source);
    else out[name] = value.getText(source);
  }
  return out;
}

/** Every `new BrowserWindow({...})` in a shell file, as a scanner like electronegativity reads it: no evaluation. */
function browserWindowCalls(file: string): Record<string, unknown>[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const calls: Record<string, unknown>[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isNewExpression(node) && node.expression.getText(source) === 'BrowserWindow') {
      const options = node.arguments?.[0];
      calls.push(options && ts.isObjectLiteralExpression(options) ? literalProperties(options, source) : {});
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return calls;
}

describe('the main window', () => {
  it('states the security checklist literally at the BrowserWindow call', () => {
    const calls = browserWindowCalls(join(__dirname, 'window.ts'));
    expect(calls).toHaveLength(1);
    const prefs = calls[0]?.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
      webviewTag: false,
      navigateOnDragDrop: false,
    });
    // Nothing a scanner cannot see through (a spread or a call building the preferences), no Blink feature switched on.
    expect(Object.keys(prefs).filter((key) => key.startsWith('...'))).toEqual([]);
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs.preload).toMatch(/^join\(/);
  });

  it('is the only window the shell opens besides the guide, which has the same checklist, no preload and no script', () => {
    const others = readdirSync(__dirname).filter(
      (f) => f.endsWith('.ts') && !['window.ts', 'guide.ts'].includes(f) && !f.endsWith('.test.ts'),
    );
    expect(others.length).toBeGreaterThan(0);
    for (const file of others) expect(browserWindowCalls(join(__dirname, file)), file).toEqual([]);
    const guide = browserWindowCalls(join(__dirname, 'guide.ts'));
    expect(guide).toHaveLength(1);
    const prefs = guide[0]?.webPreferences as Record<string, unknown>;
    const main = browserWindowCalls(join(__dirname, 'window.ts'))[0]?.webPreferences as Record<string, unknown>;
    const { preload: _preload, ...checklist } = main;
    expect(prefs).toMatchObject(checklist);
    expect(prefs).not.toHaveProperty('preload');
    expect(prefs.javascript).toBe(false);
  });
});
