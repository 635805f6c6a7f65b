#!/usr/bin/env node
// Compares dane-zone's verdicts with BIND's named-checkzone on BIND's own checkzone cases
// (../shared/conformance/bind-checkzone: MPL data, read at run time, never copied here).
//
// Usage: node scripts/bind-conformance.js [--verbose] [file-filter]   (after `tsc -b`)
// Exit status 1 when a non-contested case disagrees.
//
// expect.json says, per file, what BIND's test expects of `named-checkzone -i local ORIGIN FILE`:
// - `accept`: we must report no error (warnings are fine);
// - `reject`: we must report an error on one of BIND's `lines` (when given; an error reported on
//   an $INCLUDE line counts for the included file) and, when `reason_code` is given, with that code;
// - `policy`: rejected by BIND only under an option: we run with the matching setting
//   (check-names: `checkNames: 'error'`); without a matching setting the case counts as such.
// A `contested` case (other servers disagree with BIND) is reported but does not fail the run.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const { nodeIO } = require('./knot-conformance');

function defaultSharedDir() {
  return path.resolve(ROOT, '..', 'shared');
}

/** The setting that matches a `policy` case's BIND option, from its note; undefined when we have none. */
function policyOptions(entry) {
  if (/check-names/.test(entry.note ?? '')) return { checkNames: 'error' };
  return undefined;
}

/** Accept cases run with -k fail (check-names as errors) in BIND's test run with the same setting here. */
function acceptOptions(entry) {
  return /-k fail/.test(entry.note ?? '') ? { checkNames: 'error' } : {};
}

/** Codes that count for a reject case whose BIND rule has a dane-zone code of its own (issue 11's names). */
const RULE_CODES = [
  [/_dns SVCB/, 'svcb-dns-params'],
  [/CDS\/CDNSKEY|CDNSKEY does not match|CDS does not match/, 'cds-cdnskey-mismatch'],
  [/DS not at delegation|DS record at top/, 'ds-placement'],
  [/below a DNAME/, 'ns-below-dname'],
  [/NSEC3 owner/, 'nsec3-owner'],
];

function expectedCode(entry) {
  if (entry.reason_code) return entry.reason_code;
  for (const [re, code] of RULE_CODES) if (re.test(entry.note ?? '')) return code;
  return undefined;
}

function lineStarts(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function lineOf(starts, offset) {
  let lo = 0, hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid; else hi = mid - 1;
  }
  return lo + 1;
}

/** The line an error is about: inside an included file the message starts with `path:line:`. */
function errorLine(d, starts) {
  if (d.includedFrom) {
    const m = /^[^:]*:(\d+): /.exec(d.message);
    if (m) return { line: Number(m[1]), file: d.includedFrom };
  }
  return { line: lineOf(starts, d.start) };
}

function runBindConformance(sharedDir = defaultSharedDir(), filter) {
  const base = path.join(sharedDir, 'conformance', 'bind-checkzone');
  const expect = JSON.parse(fs.readFileSync(path.join(base, 'expect.json'), 'utf8'));
  const { analyzeZone } = require(path.join(ROOT, 'out', 'server', 'src', 'core', 'analysis.js'));
  const classes = {};
  const disagreements = [];
  const contested = [];
  for (const [file, entry] of Object.entries(expect)) {
    if (filter && !file.includes(filter)) continue;
    const cls = `${entry.expect}${entry.reason ? `/${entry.reason}` : ''}`;
    const c = (classes[cls] ??= { agree: 0, disagree: 0, contested: 0 });
    const fileName = path.join(base, 'zones', file);
    // BIND reads bytes; latin1 keeps one character per octet (raw bytes such as 0xF2 in names).
    const text = fs.readFileSync(fileName, 'latin1');
    const origin = entry.origin === '.' ? '.' : `${entry.origin.replace(/\.$/, '')}.`;
    const options = entry.reason === 'policy' ? policyOptions(entry) : acceptOptions(entry);
    let verdict;
    if (options === undefined) {
      verdict = { agree: false, why: 'no dane-zone setting matches this BIND option' };
    } else {
      const { diagnostics } = analyzeZone(text, { origin, fileName, io: nodeIO(), now: new Date('2026-01-01T00:00:00Z'), ...options });
      const starts = lineStarts(text);
      const errors = diagnostics.filter((d) => d.severity === 'error');
      const show = (d) => { const l = errorLine(d, starts); return `${l.file ? `${path.basename(l.file)}:` : ''}${l.line} ${d.code}: ${d.message}`; };
      if (entry.expect === 'accept') {
        verdict = errors.length === 0 ? { agree: true } : { agree: false, why: `BIND accepts; we report ${errors.length} error(s): ${errors.slice(0, 3).map(show).join(' | ')}` };
      } else {
        const code = expectedCode(entry);
        const [lo, hi] = entry.lines ?? [1, Infinity];
        const onLine = errors.filter((d) => { const l = errorLine(d, starts).line; return l >= lo && l <= hi; });
        const withCode = code ? onLine.filter((d) => d.code === code) : onLine;
        if (withCode.length > 0) verdict = { agree: true };
        else if (errors.length === 0) verdict = { agree: false, why: `BIND rejects (${entry.note}); we report no error` };
        else if (onLine.length === 0) verdict = { agree: false, why: `BIND rejects on line(s) ${lo}-${hi}; our errors are elsewhere: ${errors.slice(0, 3).map(show).join(' | ')}` };
        else verdict = { agree: false, why: `BIND rejects with ${code}; we report ${onLine.slice(0, 3).map(show).join(' | ')}` };
      }
    }
    if (verdict.agree) c.agree++;
    else if (entry.contested) { c.contested++; contested.push({ file, why: `${verdict.why} — contested: ${entry.note}` }); }
    else { c.disagree++; disagreements.push({ file, cls, why: verdict.why }); }
  }
  const total = Object.values(classes).reduce((t, c) => ({ agree: t.agree + c.agree, disagree: t.disagree + c.disagree, contested: t.contested + c.contested }), { agree: 0, disagree: 0, contested: 0 });
  const counted = total.agree + total.disagree;
  return { classes, disagreements, contested, total: { ...total, agreement: counted === 0 ? 1 : total.agree / counted } };
}

function main() {
  const args = process.argv.slice(2);
  const filter = args.find((a) => !a.startsWith('-'));
  const shared = defaultSharedDir();
  if (!fs.existsSync(path.join(shared, 'conformance', 'bind-checkzone'))) {
    console.error(`${shared}/conformance/bind-checkzone not found: BIND conformance not run`);
    process.exit(2);
  }
  const r = runBindConformance(shared, filter);
  console.log('BIND named-checkzone cases (../shared/conformance/bind-checkzone)');
  console.log(`${'class'.padEnd(18)} agree  disagree  contested`);
  for (const [k, c] of Object.entries(r.classes)) console.log(`${k.padEnd(18)} ${String(c.agree).padEnd(6)} ${String(c.disagree).padEnd(9)} ${c.contested}`);
  for (const d of r.disagreements) console.log(`  DISAGREE ${d.file} (${d.cls}): ${d.why}`);
  for (const d of r.contested) console.log(`  contested ${d.file}: ${d.why}`);
  const t = r.total;
  console.log(`\ntotal: agree ${t.agree}, disagree ${t.disagree}, contested ${t.contested}; agreement ${(100 * t.agreement).toFixed(1)}% (target 100% bar contested)`);
  process.exit(t.disagree === 0 ? 0 : 1);
}

module.exports = { runBindConformance, defaultSharedDir };
if (require.main === module) main();
