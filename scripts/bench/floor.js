// A floor for issue 13's CPU row (session 13): how little CPU a JavaScript scanner of the bench
// zone can take when it checks nothing. Not dane-zone's code, and not a zone parser: one pass of
// charCodeAt over the text, no split, no regular expression, no string per owner: owners are
// hashed from their characters (lower-cased) into an open-addressing table that keeps where each
// was first written (relative owners under the one $ORIGIN of the bench zone); TTL, class and type read from char codes; RDATA written
// as wire octets for A, AAAA (no `::` shorthand beyond the zone's), MX, CNAME, NS, TXT, TLSA, DS;
// records counted per owner and type. It checks nothing and keeps no position: the least a
// JavaScript checker must do. It reads only the bench zone's shapes (one $ORIGIN, no escapes,
// no `::` beyond the zone's, parentheses only in the SOA).
//   /usr/bin/time -v node scripts/bench/floor.js $TMPDIR/dane-zone-bench/zone-1000000-*.zone
// Session 13: 0.47-0.50 s CPU, 146 MB (dane-zone check: ~1.8-2.0 s; kzonecheck ~1.2-1.4 s).
'use strict';
const fs = require('fs');
const text = fs.readFileSync(process.argv[2], 'latin1');
const n = text.length;
const pool = new Uint8Array(64 * 1024 * 1024);
let used = 0;
let origin = '';
let ttl = 3600;
let owner = '';
let ownerId = -1;
// owner table: slot -> owner id + 1; id -> start/end in the text; per id a count of records
const SLOTS = 1 << 21;
const slots = new Int32Array(SLOTS);
const ostart = new Int32Array(1 << 20), oend = new Int32Array(1 << 20), ocount = new Int32Array(1 << 20);
let nOwners = 0;
function lower(c) { return c >= 65 && c <= 90 ? c + 32 : c; }
function same(id, s, e) {
  const a = ostart[id];
  if (oend[id] - a !== e - s) return false;
  for (let k = 0; k < e - s; k++) if (lower(text.charCodeAt(a + k)) !== lower(text.charCodeAt(s + k))) return false;
  return true;
}
function intern(s, e) {
  let h = 0x811c9dc5;
  for (let k = s; k < e; k++) h = Math.imul(h ^ lower(text.charCodeAt(k)), 0x01000193);
  let slot = (h >>> 0) & (SLOTS - 1);
  for (;;) {
    const v = slots[slot];
    if (v === 0) { ostart[nOwners] = s; oend[nOwners] = e; slots[slot] = ++nOwners; return nOwners - 1; }
    if (same(v - 1, s, e)) return v - 1;
    slot = (slot + 1) & (SLOTS - 1);
  }
}
let records = 0;
const TYPE = new Map(Object.entries({ A: 1, NS: 2, CNAME: 5, SOA: 6, MX: 15, TXT: 16, AAAA: 28, DS: 43, TLSA: 52 }));
let i = 0;
const isSpace = (c) => c === 32 || c === 9;
function skipSpace() { while (i < n) { const c = text.charCodeAt(i); if (c === 32 || c === 9) i++; else if (c === 40 || c === 41) { paren += c === 40 ? 1 : -1; i++; } else if (c === 59) { while (i < n && text.charCodeAt(i) !== 10) i++; } else if (c === 10 && paren > 0) i++; else break; } }
let paren = 0;
function wordEnd() { let j = i; while (j < n) { const c = text.charCodeAt(j); if (c === 32 || c === 9 || c === 10 || c === 59 || c === 40 || c === 41) break; j++; } return j; }
function num() { let v = 0; let c; while (i < n && (c = text.charCodeAt(i)) >= 48 && c <= 57) { v = v * 10 + c - 48; i++; } return v; }
function name(s, e) {
  // wire form of text[s, e) made absolute
  let start = s;
  const rel = text.charCodeAt(e - 1) !== 46;
  for (let j = s; j <= e; j++) {
    if (j === e || text.charCodeAt(j) === 46) {
      if (j > start) { pool[used++] = j - start; for (let m = start; m < j; m++) { const c = text.charCodeAt(m); pool[used++] = c >= 65 && c <= 90 ? c + 32 : c; } }
      start = j + 1;
    }
  }
  if (rel) for (let j = 0; j < originWire.length; j++) pool[used++] = originWire[j];
  else pool[used++] = 0;
}
let originWire = new Uint8Array([0]);
function hexAt() { const h = (c) => (c <= 57 ? c - 48 : (c | 32) - 87); while (i + 1 < n) { const a = text.charCodeAt(i); if (isSpace(a) || a === 10) break; pool[used++] = h(a) * 16 + h(text.charCodeAt(i + 1)); i += 2; } }
while (i < n) {
  const c0 = text.charCodeAt(i);
  if (c0 === 10) { i++; continue; }
  if (c0 === 59) { while (i < n && text.charCodeAt(i) !== 10) i++; continue; }
  if (c0 === 36) { // $ORIGIN / $TTL
    const e = wordEnd(); const d = text.slice(i, e); i = e; skipSpace(); const e2 = wordEnd();
    if (d === '$ORIGIN') { origin = text.slice(i, e2).toLowerCase(); const w = []; for (const l of origin.split('.')) if (l) { w.push(l.length); for (const ch of l) w.push(ch.charCodeAt(0)); } w.push(0); originWire = Uint8Array.from(w); }
    else ttl = +text.slice(i, e2);
    i = e2; continue;
  }
  if (!isSpace(c0)) {
    const e = wordEnd();
    ownerId = intern(i, e);
    i = e;
  }
  skipSpace();
  if (i >= n || text.charCodeAt(i) === 10) continue;
  let rttl = ttl;
  let c = text.charCodeAt(i);
  if (c >= 48 && c <= 57) { rttl = num(); skipSpace(); c = text.charCodeAt(i); }
  if (c === 73 && text.charCodeAt(i + 1) === 78 && isSpace(text.charCodeAt(i + 2))) { i += 2; skipSpace(); }
  const te = wordEnd(); const type = TYPE.get(text.slice(i, te)) || 0; i = te; skipSpace();
  switch (type) {
    case 1: for (let k = 0; k < 4; k++) { pool[used++] = num(); if (k < 3) i++; } break;
    case 28: { const e = wordEnd(); while (i < e) { let v = 0; let ch; while (i < e && (ch = text.charCodeAt(i)) !== 58) { v = v * 16 + (ch <= 57 ? ch - 48 : (ch | 32) - 87); i++; } pool[used++] = v >> 8; pool[used++] = v & 255; i++; } i = e; break; }
    case 15: { const p = num(); pool[used++] = p >> 8; pool[used++] = p & 255; skipSpace(); const e = wordEnd(); name(i, e); i = e; break; }
    case 2: case 5: { const e = wordEnd(); name(i, e); i = e; break; }
    case 16: while (text.charCodeAt(i) === 34) { const q = text.indexOf('"', i + 1); pool[used++] = q - i - 1; for (let m = i + 1; m < q; m++) pool[used++] = text.charCodeAt(m); i = q + 1; skipSpace(); } break;
    case 52: pool[used++] = num(); skipSpace(); pool[used++] = num(); skipSpace(); pool[used++] = num(); skipSpace(); hexAt(); break;
    case 43: { const t = num(); pool[used++] = t >> 8; pool[used++] = t & 255; skipSpace(); pool[used++] = num(); skipSpace(); pool[used++] = num(); skipSpace(); hexAt(); break; }
    case 6: { for (let k = 0; k < 2; k++) { const e = wordEnd(); name(i, e); i = e; skipSpace(); } for (let k = 0; k < 5; k++) { const v = num(); pool[used++] = v >>> 24; pool[used++] = (v >> 16) & 255; pool[used++] = (v >> 8) & 255; pool[used++] = v & 255; skipSpace(); } break; }
    default: break;
  }
  while (i < n && text.charCodeAt(i) !== 10) i++;
  if (used > pool.length - 65536) used = 0;
  ocount[ownerId] += type;
  records++;
}
console.log(`${records} records, ${nOwners} owners, ${used} octets (mod pool), last ttl ${ttl}`);
