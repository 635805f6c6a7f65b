/**
 * The architecture's guard rails (ARCHITECTURE.md): the front ends reach the core only through
 * core/index.ts, the core builds without Node or DOM types (so a Node import or global in it
 * fails the build), and no module imports itself through a cycle.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SRC = path.join(ROOT, 'server', 'src');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** The relative module specifiers a file imports or re-exports (`import type` included when asked). */
function importsOf(file: string, withTypes: boolean): string[] {
  const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, false);
  const out: string[] = [];
  for (const st of sf.statements) {
    if ((ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)) {
      const typeOnly = ts.isImportDeclaration(st) ? !!st.importClause?.isTypeOnly : st.isTypeOnly;
      if (!typeOnly || withTypes) out.push(st.moduleSpecifier.text);
    }
  }
  return out;
}

function resolve(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  for (const p of [base + '.ts', path.join(base, 'index.ts')]) if (fs.existsSync(p)) return p;
  return undefined;
}

test('lsp/, cli/ and live/ import the core only through core/index.ts', () => {
  const core = path.join(SRC, 'core');
  const bad: string[] = [];
  for (const dir of ['lsp', 'cli', 'live']) {
    for (const f of sourceFiles(path.join(SRC, dir))) {
      for (const spec of importsOf(f, true)) {
        const target = resolve(f, spec);
        if (target && target.startsWith(core + path.sep) && target !== path.join(core, 'index.ts')) bad.push(`${path.relative(SRC, f)} → ${spec}`);
      }
    }
  }
  assert.deepEqual(bad, []);
});

test('the core imports nothing outside itself but its declared libraries', () => {
  const core = path.join(SRC, 'core');
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const declared = new Set(Object.keys(pkg.dependencies ?? {}));
  const bad: string[] = [];
  for (const f of sourceFiles(core)) {
    for (const spec of importsOf(f, true)) {
      const target = resolve(f, spec);
      if (target ? !target.startsWith(core + path.sep) : !declared.has(spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/'))) {
        bad.push(`${path.relative(SRC, f)} → ${spec}`);
      }
    }
  }
  assert.deepEqual(bad, []);
});

test('the core builds without Node types: a Node import or global in it is a compile error', () => {
  const config = ts.readConfigFile(path.join(SRC, 'core', 'tsconfig.json'), ts.sys.readFile);
  assert.ifError(config.error);
  assert.deepEqual(config.config.compilerOptions.types, []);
  assert.ok(!config.config.compilerOptions.lib.some((l: string) => /dom/i.test(l)), 'no DOM lib either');
  // Compile a probe file as if it were in the core, with the core's options.
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, path.join(SRC, 'core'));
  const probe = path.join(SRC, 'core', '__probe__.ts');
  const probeText = "import { readFileSync } from 'node:fs';\nexport const a = process.env.HOME;\nexport const b = Buffer.from('x');\nexport const c = readFileSync;\n";
  const host = ts.createCompilerHost(parsed.options);
  const readFile = host.readFile.bind(host);
  host.readFile = (f) => (path.resolve(f) === probe ? probeText : readFile(f));
  const exists = host.fileExists.bind(host);
  host.fileExists = (f) => path.resolve(f) === probe || exists(f);
  const program = ts.createProgram([probe, path.join(SRC, 'core', 'platform.d.ts')], { ...parsed.options, noEmit: true }, host);
  const messages = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  assert.ok(messages.some((m) => m.includes("Cannot find module 'node:fs'")), messages.join('\n'));
  assert.ok(messages.some((m) => m.includes("Cannot find name 'process'")), messages.join('\n'));
  assert.ok(messages.some((m) => m.includes("Cannot find name 'Buffer'")), messages.join('\n'));
});

test('no import cycles among the server modules', () => {
  const files = sourceFiles(SRC);
  const graph = new Map(files.map((f) => [f, importsOf(f, true).map((s) => resolve(f, s)).filter((t): t is string => t !== undefined)]));
  // Tarjan's strongly connected components: any component of more than one module is a cycle.
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next); low.set(v, next); next++;
    stack.push(v); on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do { w = stack.pop()!; on.delete(w); scc.push(path.relative(SRC, w)); } while (w !== v);
      if (scc.length > 1) cycles.push(scc.sort());
    }
  };
  for (const f of files) if (!index.has(f)) visit(f);
  assert.deepEqual(cycles, []);
});
