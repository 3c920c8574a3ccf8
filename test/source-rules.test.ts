/**
 * Rules of the code base that no behaviour test can see, checked on the sources with the
 * TypeScript parser (syntax, not text search, so comments and strings never count):
 * - an error's message is text for people: no module decides anything by reading it;
 * - the environment is read in one module (src/config.ts);
 * - the app and the tests mask errors with the same function.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(path);
    return d.name.endsWith('.ts') ? [path] : [];
  });
}

const parse = (path: string, text = readFileSync(join(ROOT, path), 'utf8')): ts.SourceFile =>
  ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);

function visit(node: ts.Node, fn: (n: ts.Node) => void): void {
  fn(node);
  node.forEachChild((child) => visit(child, fn));
}

const unwrap = (n: ts.Expression): ts.Expression =>
  ts.isParenthesizedExpression(n) || ts.isAsExpression(n) || ts.isNonNullExpression(n) || ts.isTypeAssertionExpression(n) ? unwrap(n.expression) : n;

/** String methods that look into a text (searching, comparing, cutting it up). */
const INSPECTING = new Set(['startsWith', 'endsWith', 'includes', 'indexOf', 'lastIndexOf', 'match', 'matchAll', 'search', 'split', 'slice', 'substring', 'substr', 'at', 'charAt', 'localeCompare', 'replace', 'replaceAll']);
const COMPARISON = new Set([ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken]);

/** `undefined`, `null` or `''`. */
function isNothing(n: ts.Expression): boolean {
  const e = unwrap(n);
  return (ts.isIdentifier(e) && e.text === 'undefined') || e.kind === ts.SyntaxKind.NullKeyword || (ts.isStringLiteral(e) && e.text === '');
}

/** `x.message` or `x['message']`, except a class reading its own (`this.message`). */
function isForeignMessage(n: ts.Expression): boolean {
  const e = unwrap(n);
  const read =
    (ts.isPropertyAccessExpression(e) && e.name.text === 'message' && e.expression.kind !== ts.SyntaxKind.ThisKeyword) ||
    (ts.isElementAccessExpression(e) && ts.isStringLiteral(e.argumentExpression) && e.argumentExpression.text === 'message');
  // A plain variable or parameter holding a message (e.g. a helper's `message: string`) counts too.
  return read || (ts.isIdentifier(e) && /^(message|msg|errorMessage)$/i.test(e.text));
}

interface MessageInspection {
  file: string;
  line: number;
  code: string;
}

/** Every place that decides something by reading an error message's text. */
function messageInspections(file: ts.SourceFile): MessageInspection[] {
  const found: MessageInspection[] = [];
  const report = (n: ts.Node): void => {
    const { line } = file.getLineAndCharacterOfPosition(n.getStart(file));
    found.push({ file: file.fileName, line: line + 1, code: n.getText(file).replace(/\s+/g, ' ') });
  };
  visit(file, (n) => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) {
      const method = n.expression.name.text;
      // message.startsWith('…'), message.match(/…/), …
      if (INSPECTING.has(method) && isForeignMessage(n.expression.expression)) report(n);
      // /…/.exec(message), /…/.test(message)
      else if ((method === 'exec' || method === 'test') && n.arguments.length > 0 && isForeignMessage(n.arguments[0])) report(n);
    }
    // message === '…' (a check for absence or emptiness reads nothing of the text)
    if (ts.isBinaryExpression(n) && COMPARISON.has(n.operatorToken.kind) && (isForeignMessage(n.left) || isForeignMessage(n.right)) && !isNothing(n.left) && !isNothing(n.right)) {
      report(n);
    }
    // switch (e.message) { … }
    if (ts.isSwitchStatement(n) && isForeignMessage(n.expression)) report(n.expression);
  });
  return found;
}

/**
 * Text the gateway did not write, which carries a fact in no other form. Each entry must still be
 * found (a stale exception fails too), and must name why.
 */
const FOREIGN_TEXT: { file: string; code: string; why: string }[] = [
  {
    file: 'src/aftership/errors.ts',
    code: '/also required: ([a-z0-9_]+)/i.exec(message)',
    why: "AfterShip's answer names the bad input field only in its meta.message (fieldFromMessage)",
  },
  { file: 'src/aftership/errors.ts', code: '/`([a-zA-Z0-9_.[\\]]+)`/.exec(message)', why: 'same helper' },
  { file: 'src/aftership/errors.ts', code: '/\\[([a-zA-Z0-9_.]+)\\]/.exec(message)', why: 'same helper' },
  { file: 'src/aftership/errors.ts', code: '/value of ([a-z][a-z0-9_]*(?:\\[\\d+\\]|\\.[a-z][a-z0-9_]*)*)/i.exec(message)', why: 'same helper' },
  { file: 'src/aftership/errors.ts', code: '/^([a-z0-9_]+) is required/i.exec(message)', why: 'same helper' },
  { file: 'src/aftership/errors.ts', code: 'message.slice(0, start)', why: "same helper: AfterShip's text around the field, so the client's path can take its place" },
  { file: 'src/aftership/errors.ts', code: 'message.slice(start + m[1].length)', why: 'same helper' },
  {
    file: 'src/redis/connection.ts',
    code: "e.message.includes('NOSCRIPT')",
    why: 'a Redis error reply names its kind only as its first word (RESP); ioredis exposes no code',
  },
  {
    file: 'src/lib/env-schema.ts',
    code: '/position (\\d+)/.exec((e as Error).message)',
    why: "JSON.parse's SyntaxError has no position field; the number is all we take (the text may quote secrets)",
  },
];

describe('error messages are for people, not for code', () => {
  it('finds the message parsing the gateway used to do (the check cannot pass vacuously)', () => {
    // The mapping as it was: the scope guard's and the token provider's refusals recognised by their
    // text, graphql-js errors by their first words.
    const before = parse(
      'before.ts',
      `const m = GUARD_REFUSAL.exec(e.message);
       const o = OAUTH_CONNECTION.exec(error.message);
       const code = e.message.startsWith('Syntax Error') ? 'GRAPHQL_PARSE_FAILED' : e.message.startsWith('Variable "$') ? 'BAD_USER_INPUT' : 'X';
       if ((err as Error).message === 'timeout') retry();
       if (/not connected/.test(cause['message'])) reconnect();
       switch (e.message) { default: }
       function fieldOf(message: string) { return message.match(/value of (\\w+)/); }
       class Own extends Error { get quoted() { return this.message.replace(/"/g, ''); } }
       logger.warn('failed', { error: e.message }); throw new Error(\`wrapped: \${e.message}\`);`,
    );
    expect(messageInspections(before).map((f) => f.code)).toEqual([
      'GUARD_REFUSAL.exec(e.message)',
      'OAUTH_CONNECTION.exec(error.message)',
      "e.message.startsWith('Syntax Error')",
      'e.message.startsWith(\'Variable "$\')',
      "(err as Error).message === 'timeout'",
      "/not connected/.test(cause['message'])",
      'e.message',
      'message.match(/value of (\\w+)/)',
    ]);
  });

  it('no module of src/ decides anything by reading an error message, except foreign text listed with its reason', () => {
    const found = sourceFiles('src').flatMap((path) => messageInspections(parse(path)));
    const allowed = (f: MessageInspection) => FOREIGN_TEXT.some((a) => a.file === f.file && a.code === f.code);
    expect(found.filter((f) => !allowed(f))).toEqual([]);
    for (const a of FOREIGN_TEXT) expect(found.some((f) => f.file === a.file && f.code === a.code), `${a.file}: ${a.code} (${a.why})`).toBe(true);
  });
});

describe('configuration', () => {
  /** Reads of the environment: process.env, process['env'], `{ env } = process`, env from node:process. */
  function envReads(file: ts.SourceFile): string[] {
    const found: string[] = [];
    const isProcess = (e: ts.Expression): boolean => {
      const u = unwrap(e);
      return (ts.isIdentifier(u) && u.text === 'process') || (ts.isPropertyAccessExpression(u) && u.name.text === 'process');
    };
    visit(file, (n) => {
      if (ts.isPropertyAccessExpression(n) && n.name.text === 'env' && isProcess(n.expression)) found.push(n.getText(file));
      if (ts.isElementAccessExpression(n) && isProcess(n.expression) && ts.isStringLiteral(n.argumentExpression) && n.argumentExpression.text === 'env') found.push(n.getText(file));
      if (ts.isVariableDeclaration(n) && n.initializer && isProcess(n.initializer) && ts.isObjectBindingPattern(n.name)) {
        if (n.name.elements.some((b) => (b.propertyName ?? b.name).getText(file) === 'env')) found.push(n.getText(file));
      }
      if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier) && /^(node:)?process$/.test(n.moduleSpecifier.text)) found.push(n.getText(file));
    });
    return found;
  }

  it('the environment is read in one module, src/config.ts', () => {
    expect(envReads(parse('x.ts', 'const a = process.env.A; const { env } = process; const b = globalThis.process["env"];'))).toHaveLength(3);
    const readers = sourceFiles('src').filter((path) => envReads(parse(path)).length > 0);
    expect(readers).toEqual(['src/config.ts']);
  });
});

describe('error masking', () => {
  it('every yoga server of the app and the tests masks with error-mapping.ts maskError', () => {
    const servers: string[] = [];
    for (const path of [...sourceFiles('src'), ...sourceFiles('test')]) {
      const file = parse(path);
      const imported = file.statements.some(
        (s) =>
          ts.isImportDeclaration(s) &&
          ts.isStringLiteral(s.moduleSpecifier) &&
          s.moduleSpecifier.text.endsWith('schema/error-mapping.js') &&
          s.importClause?.namedBindings !== undefined &&
          ts.isNamedImports(s.importClause.namedBindings) &&
          s.importClause.namedBindings.elements.some((e) => e.name.text === 'maskError' && !e.propertyName),
      );
      visit(file, (n) => {
        if (!ts.isCallExpression(n) || !ts.isIdentifier(n.expression) || n.expression.text !== 'createYoga') return;
        const options = n.arguments[0];
        const masked =
          options !== undefined &&
          ts.isObjectLiteralExpression(options) &&
          options.properties.some(
            (p) =>
              ts.isPropertyAssignment(p) &&
              p.name.getText(file) === 'maskedErrors' &&
              ts.isObjectLiteralExpression(p.initializer) &&
              p.initializer.properties.some((q) => ts.isShorthandPropertyAssignment(q) && q.name.text === 'maskError'),
          );
        servers.push(`${relative(ROOT, join(ROOT, path))}: ${masked && imported ? 'maskError' : 'other masking'}`);
      });
    }
    expect(servers.length).toBeGreaterThanOrEqual(2); // the app and the schema test gateway at least
    expect(servers.filter((s) => !s.endsWith(': maskError'))).toEqual([]);
  });
});
