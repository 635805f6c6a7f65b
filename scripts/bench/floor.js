// Floors for issue 13's CPU row: how little CPU a JavaScript program can take on the bench zone.
// Not dane-zone's code, and not a zone parser: it reads only the bench zone's shapes (one $ORIGIN,
// no escapes, no `::` beyond the zone's, parentheses only in the SOA, nine record types).
//
//   node scripts/bench/floor.js ZONE            the scanner alone: one charCodeAt pass, no split, no
//                                                regular expression, no string per owner (owners are
//                                                interned by their wire form in an open-addressing
//                                                table), RDATA written as wire octets and kept, each
//                                                record's facts in typed arrays (owner, type, TTL, line,
//                                                RDATA span); no check
//   node scripts/bench/floor.js ZONE --checks   the same, then the least checker that reports what
//                                                `dane-zone check` reports on this zone, line and code:
//                                                per owner (duplicates, RRset TTLs, CNAME and other
//                                                data, a TLSA RRset of one record), TLSA fields, MX/NS
//                                                targets (present, not a CNAME, with an address), DANE
//                                                coverage (a TLSA RRset at _25._tcp. of an MX host),
//                                                tlsrpt-missing (no "v=TLSRPT" TXT at _smtp._tls. of a
//                                                domain whose MX host has TLSA) and tlsa-unsigned-zone,
//                                                findings printed by line. It does much less than
//                                                dane-zone: no syntax diagnostics, no columns, no other
//                                                types, no escapes, no name or TTL limits, no
//                                                check-names, no TLS-RPT/MTA-STS syntax, no other TLSA
//                                                RRset rules, no delegations, no options.
// The summary line on stderr: records, names, findings by code (the bench compares the counts with
// dane-zone's). `npm run bench` runs both beside kzonecheck (`floor` in `--only`).
'use strict';
const fs = require('fs');
const zonePath = process.argv[2];
const checks = process.argv.includes('--checks');
const text = fs.readFileSync(zonePath, 'latin1');
const n = text.length;
const MAXR = (n >> 4) + 1024; // a record takes more than 16 characters of the zone
const pool = new Uint8Array(n + 65536); // RDATA wire (never longer than its text)
let used = 0;
const rOwner = new Int32Array(MAXR), rType = new Uint16Array(MAXR), rTtl = new Uint32Array(MAXR);
const rLine = new Int32Array(MAXR), rAt = new Int32Array(MAXR), rLen = new Uint16Array(MAXR);
let nr = 0;
// names by wire form: slot -> id + 1 (1M slots: 0.5 full at the bench zone's 527k names); id -> its
// octets in npool, records and type bits
const SLOTS = 1 << 20;
const slots = new Int32Array(SLOTS);
const npool = new Uint8Array(n + 256);
let nused = 0;
const nAt = new Int32Array(MAXR), nLen = new Uint8Array(MAXR), nCount = new Int32Array(MAXR), nTypes = new Int32Array(MAXR);
let nNames = 0;
const scratch = new Uint8Array(600);
function hashOf(buf, s, e, h) { for (let k = s; k < e; k++) h = Math.imul(h ^ buf[k], 0x01000193); return h; }
/** The id of the wire name buf[s, e) (lower case, absolute), added when `add`; -1 when absent. */
function lookup(buf, s, e, add) {
  const len = e - s;
  let slot = (hashOf(buf, s, e, 0x811c9dc5) >>> 0) & (SLOTS - 1);
  for (;;) {
    const v = slots[slot];
    if (v === 0) {
      if (!add) return -1;
      const id = nNames++;
      nAt[id] = nused; nLen[id] = len;
      for (let k = s; k < e; k++) npool[nused++] = buf[k];
      slots[slot] = id + 1;
      return id;
    }
    const id = v - 1;
    if (nLen[id] === len) {
      const a = nAt[id];
      let k = 0;
      while (k < len && npool[a + k] === buf[s + k]) k++;
      if (k === len) return id;
    }
    slot = (slot + 1) & (SLOTS - 1);
  }
}
let originWire = new Uint8Array([0]);
/** text[s, e) as an absolute wire name, lower case, into buf at `at`; returns the end. */
function wire(s, e, buf, at) {
  if (e - s === 1 && text.charCodeAt(s) === 64) { buf.set(originWire, at); return at + originWire.length; }
  let start = s;
  const relative = text.charCodeAt(e - 1) !== 46;
  for (let j = s; j <= e; j++) {
    if (j === e || text.charCodeAt(j) === 46) {
      if (j > start) {
        buf[at++] = j - start;
        for (let m = start; m < j; m++) { const c = text.charCodeAt(m); buf[at++] = c >= 65 && c <= 90 ? c + 32 : c; }
      }
      start = j + 1;
    }
  }
  if (relative) { buf.set(originWire, at); at += originWire.length; } else buf[at++] = 0;
  return at;
}
const TYPE = new Map(Object.entries({ A: 1, NS: 2, CNAME: 5, SOA: 6, MX: 15, TXT: 16, AAAA: 28, DS: 43, TLSA: 52 }));
const BIT = { 1: 1, 2: 2, 5: 4, 6: 8, 15: 16, 16: 32, 28: 64, 43: 128, 52: 256 };
let ttl = 3600, ownerId = -1, line = 1, paren = 0, i = 0;
const isSpace = (c) => c === 32 || c === 9;
function skipSpace() {
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9) i++;
    else if (c === 40 || c === 41) { paren += c === 40 ? 1 : -1; i++; }
    else if (c === 59) { while (i < n && text.charCodeAt(i) !== 10) i++; }
    else if (c === 10 && paren > 0) { i++; line++; }
    else break;
  }
}
function wordEnd() { let j = i; while (j < n) { const c = text.charCodeAt(j); if (c === 32 || c === 9 || c === 10 || c === 59 || c === 40 || c === 41) break; j++; } return j; }
function num() { let v = 0; let c; while (i < n && (c = text.charCodeAt(i)) >= 48 && c <= 57) { v = v * 10 + c - 48; i++; } return v; }
const hexDigit = (c) => (c <= 57 ? c - 48 : (c | 32) - 87);
function hex() { while (i + 1 < n) { const a = text.charCodeAt(i); if (isSpace(a) || a === 10) break; pool[used++] = hexDigit(a) * 16 + hexDigit(text.charCodeAt(i + 1)); i += 2; } }
while (i < n) {
  const c0 = text.charCodeAt(i);
  if (c0 === 10) { i++; line++; continue; }
  if (c0 === 59) { while (i < n && text.charCodeAt(i) !== 10) i++; continue; }
  if (c0 === 36) { // $ORIGIN, $TTL
    const e = wordEnd(); const d = text.slice(i, e); i = e; skipSpace(); const e2 = wordEnd();
    if (d === '$ORIGIN') {
      const w = [];
      for (const l of text.slice(i, e2).toLowerCase().split('.')) if (l) { w.push(l.length); for (const ch of l) w.push(ch.charCodeAt(0)); }
      w.push(0);
      originWire = Uint8Array.from(w);
    } else ttl = +text.slice(i, e2);
    i = e2; continue;
  }
  if (!isSpace(c0)) {
    const e = wordEnd();
    ownerId = lookup(scratch, 0, wire(i, e, scratch, 0), true);
    i = e;
  }
  const recordLine = line;
  skipSpace();
  if (i >= n || text.charCodeAt(i) === 10) continue;
  let recordTtl = ttl;
  let c = text.charCodeAt(i);
  if (c >= 48 && c <= 57) { recordTtl = num(); skipSpace(); c = text.charCodeAt(i); }
  if (c === 73 && text.charCodeAt(i + 1) === 78 && isSpace(text.charCodeAt(i + 2))) { i += 2; skipSpace(); }
  const te = wordEnd(); const type = TYPE.get(text.slice(i, te)) || 0; i = te; skipSpace();
  const at = used;
  switch (type) {
    case 1: for (let k = 0; k < 4; k++) { pool[used++] = num(); if (k < 3) i++; } break;
    case 28: {
      const e = wordEnd();
      while (i < e) { let v = 0; let ch; while (i < e && (ch = text.charCodeAt(i)) !== 58) { v = v * 16 + hexDigit(ch); i++; } pool[used++] = v >> 8; pool[used++] = v & 255; i++; }
      i = e; break;
    }
    case 15: { const p = num(); pool[used++] = p >> 8; pool[used++] = p & 255; skipSpace(); const e = wordEnd(); used = wire(i, e, pool, used); i = e; break; }
    case 2: case 5: { const e = wordEnd(); used = wire(i, e, pool, used); i = e; break; }
    case 16: while (text.charCodeAt(i) === 34) { const q = text.indexOf('"', i + 1); pool[used++] = q - i - 1; for (let m = i + 1; m < q; m++) pool[used++] = text.charCodeAt(m); i = q + 1; skipSpace(); } break;
    case 52: pool[used++] = num(); skipSpace(); pool[used++] = num(); skipSpace(); pool[used++] = num(); skipSpace(); hex(); break;
    case 43: { const t = num(); pool[used++] = t >> 8; pool[used++] = t & 255; skipSpace(); pool[used++] = num(); skipSpace(); pool[used++] = num(); skipSpace(); hex(); break; }
    case 6: {
      for (let k = 0; k < 2; k++) { const e = wordEnd(); used = wire(i, e, pool, used); i = e; skipSpace(); }
      for (let k = 0; k < 5; k++) { const v = num(); pool[used++] = v >>> 24; pool[used++] = (v >> 16) & 255; pool[used++] = (v >> 8) & 255; pool[used++] = v & 255; skipSpace(); }
      break;
    }
    default: break;
  }
  while (i < n && text.charCodeAt(i) !== 10) i++;
  rOwner[nr] = ownerId; rType[nr] = type; rTtl[nr] = recordTtl; rLine[nr] = recordLine; rAt[nr] = at; rLen[nr] = used - at;
  nCount[ownerId]++; nTypes[ownerId] |= BIT[type] | 0;
  nr++;
}
const found = {};
const findings = [];
const report = (ln, code, message) => { findings.push({ ln, code, message }); found[code] = (found[code] || 0) + 1; };
if (checks) check();
process.stderr.write(`${nr} records, ${nNames} names, ${used} octets of RDATA; findings: ${JSON.stringify(found)}\n`);

function check() {
  // the records of each owner together: a counting sort on the owner id
  const first = new Int32Array(nNames + 1);
  for (let id = 0; id < nNames; id++) first[id + 1] = first[id] + nCount[id];
  const fill = first.slice(0, nNames), order = new Int32Array(nr);
  for (let r = 0; r < nr; r++) order[fill[rOwner[r]]++] = r;
  const sameData = (a, b) => { if (rLen[a] !== rLen[b]) return false; for (let k = 0; k < rLen[a]; k++) if (pool[rAt[a] + k] !== pool[rAt[b] + k]) return false; return true; };
  for (let id = 0; id < nNames; id++) {
    const s = first[id], e = first[id + 1];
    if ((nTypes[id] & 4) && e - s > 1) report(rLine[order[s + 1]], 'cname-and-other-data', 'a CNAME and other data');
    let tlsa = rType[order[s]] === 52 ? 1 : 0; // distinct TLSA records
    for (let a = s + 1; a < e; a++) {
      const ra = order[a];
      let distinct = true;
      for (let b = s; b < a; b++) {
        const rb = order[b];
        if (rType[rb] !== rType[ra]) continue;
        if (rTtl[rb] !== rTtl[ra]) { report(rLine[ra], 'rrset-ttl-mismatch', 'TTLs differ in an RRset'); break; }
        if (sameData(ra, rb)) { report(rLine[ra], 'duplicate-record', 'a duplicate record'); distinct = false; break; }
      }
      if (distinct && rType[ra] === 52) tlsa++;
    }
    if (tlsa === 1) { let a = s; while (rType[order[a]] !== 52) a++; report(rLine[order[a]], 'tlsa-single-record', 'a TLSA RRset with one record'); }
  }
  const P25 = [3, 95, 50, 53, 4, 95, 116, 99, 112], RPT = [5, 95, 115, 109, 116, 112, 4, 95, 116, 108, 115];
  const prefixed = (prefix, src, s, e) => { scratch.set(prefix, 0); let k = prefix.length; for (let j = s; j < e; j++) scratch[k++] = src[j]; return lookup(scratch, 0, k, false); };
  const nameEnd = (buf, s) => { while (buf[s] !== 0) s += buf[s] + 1; return s + 1; };
  const dane = new Uint8Array(nNames); // 1: a domain whose MX host has TLSA records
  let firstTlsa = 0; // its line
  for (let r = 0; r < nr; r++) {
    const t = rType[r], at = rAt[r];
    if (t === 52) {
      if (!firstTlsa) firstTlsa = rLine[r];
      if (pool[at] > 3 || pool[at + 1] > 1 || pool[at + 2] > 2 || (pool[at + 2] === 1 && rLen[r] !== 35) || (pool[at + 2] === 2 && rLen[r] !== 67)) report(rLine[r], 'tlsa-field', 'a TLSA field out of range');
    } else if (t === 15 || t === 2) {
      const s = t === 15 ? at + 2 : at, e = nameEnd(pool, s);
      const target = lookup(pool, s, e, false);
      if (target >= 0 && (nTypes[target] & 4)) report(rLine[r], 'target-is-alias', 'the target is a CNAME');
      else if (target >= 0 && !(nTypes[target] & 65)) report(rLine[r], 'target-no-address', 'the target has no address');
      if (t === 15 && !dane[rOwner[r]]) { const tlsa = prefixed(P25, pool, s, e); if (tlsa >= 0 && (nTypes[tlsa] & 256)) dane[rOwner[r]] = 1; }
    }
  }
  const signed = nNames > 0 && text.slice(0, 4096).includes('; dane-zone dnssec=inline');
  if (firstTlsa && signed) report(firstTlsa, 'tlsa-unsigned-zone', 'declared inline-signed, and the file holds no DNSSEC records');
  for (let r = 0; r < nr; r++) {
    const d = rOwner[r];
    if (rType[r] !== 15 || dane[d] !== 1) continue;
    dane[d] = 2;
    const rpt = prefixed(RPT, npool, nAt[d], nAt[d] + nLen[d]);
    let has = false;
    if (rpt >= 0 && (nTypes[rpt] & 32)) {
      for (let k = first[rpt]; k < first[rpt + 1]; k++) {
        const q = order[k], a = rAt[q] + 1;
        if (rType[q] === 16 && pool[a] === 118 && pool[a + 1] === 61 && pool[a + 2] === 84 && pool[a + 6] === 80) has = true; // "v=TLSRPT"
      }
    }
    if (!has) report(rLine[r], 'tlsrpt-missing', 'a domain whose MX host has TLSA records has no TLS-RPT record');
  }
  findings.sort((a, b) => a.ln - b.ln);
  const out = [];
  for (const f of findings) out.push(`${zonePath}:${f.ln}: information ${f.code}: ${f.message}`);
  process.stdout.write(out.join('\n') + '\n');
}
