import { DEFAULT_EXPIRY_DAYS, DEFAULT_TLSA_MAX_TTL, SeverityOverrides } from '../core';
import { CertificateSettings, sanitizeCertAndLiveSettings } from './certSettings';
import { DEFAULT_MAX_DIAGNOSTICS } from './diagnosticCap';

/** The `daneZone` configuration section, as the server uses it. */
export interface DaneZoneSettings {
  /** Per-code severity: error | warning | information | hint | off. */
  severity: SeverityOverrides;
  /** Milliseconds between the last keystroke and the diagnostics run. */
  diagnosticsDelay: number;
  /** At most this many diagnostics per document, then one `too-many-diagnostics` summary (diagnosticCap.ts). */
  maxDiagnostics: number;
  inlayHints: {
    /** Show the RFC 7218 acronyms after TLSA/SMIMEA fields (`DANE-EE SPKI SHA2-256`). */
    enabled: boolean;
  };
  /** Whether the zone is DNSSEC-signed when its file does not say (`; dane-zone dnssec=`): undefined = from its records. */
  dnssec?: 'signed' | 'unsigned' | 'inline';
  /** `rrsig-expiring` for RRSIGs that expire within this many days (default 7). */
  expiryWarningDays: number;
  /** BIND's check-names for host names: off (default), warnings, or errors. */
  checkNames: 'off' | 'warn' | 'error';
  tlsa: {
    /** TLSA TTLs above this many seconds get `tlsa-high-ttl`. */
    maxTtl: number;
  };
  serial: {
    /** Bump the SOA serial when a changed zone is saved: never, after asking, or always. */
    bumpOnSave: 'off' | 'ask' | 'on';
  };
  format: {
    /** Owner names of records that share the previous owner: as written, always repeated, or left blank. */
    ownerStyle: 'keep' | 'repeat' | 'blank';
  };
  /** Certificates linked to TLSA records by host (certSettings.ts). */
  certificates: CertificateSettings;
  live: {
    /** Validating resolver for the live check, IP[:PORT]; undefined = the system's. */
    resolver?: string;
  };
}

export const SETTINGS_SECTION = 'daneZone';
export const DEFAULT_DELAY_MS = 200;
export const DEFAULT_EXPIRY_WARNING_DAYS = 7;
const MAX_DELAY_MS = 10_000;

export function defaultSettings(): DaneZoneSettings {
  return { severity: {}, diagnosticsDelay: DEFAULT_DELAY_MS, maxDiagnostics: DEFAULT_MAX_DIAGNOSTICS, inlayHints: { enabled: true }, expiryWarningDays: DEFAULT_EXPIRY_WARNING_DAYS, checkNames: 'off', tlsa: { maxTtl: DEFAULT_TLSA_MAX_TTL },
    serial: { bumpOnSave: 'off' }, format: { ownerStyle: 'keep' }, certificates: { hosts: {}, expiryDays: DEFAULT_EXPIRY_DAYS }, live: {} };
}

const LEVELS = new Map<string, SeverityOverrides[string]>([
  ['error', 'error'],
  ['warning', 'warning'],
  ['warn', 'warning'],
  ['information', 'information'],
  ['info', 'information'],
  ['hint', 'hint'],
  ['off', 'off'],
  ['none', 'off'],
]);

/**
 * Turns whatever the client sent into settings, keeping the valid parts. `problems` gets one
 * line per ignored value (for the log), so a typo in settings never breaks diagnostics.
 */
export function sanitizeSettings(raw: unknown, problems: string[] = []): DaneZoneSettings {
  const out = defaultSettings();
  if (raw === null || raw === undefined) return out;
  if (typeof raw !== 'object') {
    problems.push(`${SETTINGS_SECTION}: expected an object, got ${typeof raw}`);
    return out;
  }
  const r = raw as Record<string, unknown>;
  if (r.severity !== undefined && r.severity !== null) {
    if (typeof r.severity !== 'object' || Array.isArray(r.severity)) {
      problems.push(`${SETTINGS_SECTION}.severity: expected an object of code → level`);
    } else {
      for (const [code, level] of Object.entries(r.severity as Record<string, unknown>)) {
        const l = typeof level === 'string' ? LEVELS.get(level.toLowerCase()) : undefined;
        if (l) out.severity[code] = l;
        else problems.push(`${SETTINGS_SECTION}.severity.${code}: \`${String(level)}\` is not error, warning, information, hint or off`);
      }
    }
  }
  if (r.diagnosticsDelay !== undefined && r.diagnosticsDelay !== null) {
    const d = r.diagnosticsDelay;
    if (typeof d === 'number' && Number.isFinite(d) && d >= 0) out.diagnosticsDelay = Math.min(Math.round(d), MAX_DELAY_MS);
    else problems.push(`${SETTINGS_SECTION}.diagnosticsDelay: expected a number of milliseconds ≥ 0`);
  }
  if (r.maxDiagnostics !== undefined && r.maxDiagnostics !== null) {
    const m = r.maxDiagnostics;
    if (typeof m === 'number' && Number.isInteger(m) && m >= 1) out.maxDiagnostics = m;
    else problems.push(`${SETTINGS_SECTION}.maxDiagnostics: expected a whole number ≥ 1`);
  }
  // VS Code sends `inlayHints: { enabled }`; a client configured by hand may send the dotted key.
  let inlay: unknown = r.inlayHints;
  if (inlay === undefined || inlay === null) {
    if (r['inlayHints.enabled'] !== undefined) inlay = { enabled: r['inlayHints.enabled'] };
  } else if (typeof inlay !== 'object' || Array.isArray(inlay)) {
    problems.push(`${SETTINGS_SECTION}.inlayHints: expected an object such as { "enabled": false }`);
    inlay = undefined;
  }
  const enabled = (inlay as Record<string, unknown> | null | undefined)?.enabled;
  if (enabled !== undefined && enabled !== null) {
    if (typeof enabled === 'boolean') out.inlayHints.enabled = enabled;
    else problems.push(`${SETTINGS_SECTION}.inlayHints.enabled: expected true or false`);
  }
  // Keys spelled for VS Code's setting titles (`DNSSEC`, `DNSSECExpiryWarningDays`, `TLSAMaxTTL`: the
  // Settings editor shows a key's words as its title); the keys they replace are read when the new
  // one is not there (other editors' configurations, settings written before the rename).
  const oldDnssec = r.dnssec;
  // `daneZone.dnssecExpiryWarningDays` (VS Code cannot hold `daneZone.dnssec.expiryWarningDays` beside the
  // string `daneZone.dnssec`); other clients may send the dotted key or `dnssec: { expiryWarningDays }`.
  const nestedDnssec = oldDnssec !== null && typeof oldDnssec === 'object' && !Array.isArray(oldDnssec) ? oldDnssec as Record<string, unknown> : undefined;
  const days = r.DNSSECExpiryWarningDays ?? r.dnssecExpiryWarningDays ?? r['dnssec.expiryWarningDays'] ?? nestedDnssec?.expiryWarningDays;
  if (days !== undefined && days !== null) {
    if (typeof days === 'number' && Number.isFinite(days) && days >= 0) out.expiryWarningDays = days;
    else problems.push(`${SETTINGS_SECTION}.DNSSECExpiryWarningDays: expected a number of days ≥ 0`);
  }
  const dnssec = r.DNSSEC ?? (nestedDnssec ? undefined : oldDnssec); // the object form carries no signed/unsigned state
  if (dnssec !== undefined && dnssec !== null && dnssec !== 'auto') {
    if (dnssec === 'signed' || dnssec === 'unsigned' || dnssec === 'inline') out.dnssec = dnssec;
    else problems.push(`${SETTINGS_SECTION}.DNSSEC: \`${String(dnssec)}\` is not auto, signed, unsigned or inline`);
  }
  const checkNames = r.checkNames;
  if (checkNames !== undefined && checkNames !== null) {
    if (checkNames === 'off' || checkNames === 'warn' || checkNames === 'error') out.checkNames = checkNames;
    else problems.push(`${SETTINGS_SECTION}.checkNames: \`${String(checkNames)}\` is not off, warn or error`);
  }
  const maxTtl = r.TLSAMaxTTL ?? nested(r, 'tlsa', 'maxTtl');
  if (maxTtl !== undefined && maxTtl !== null) {
    if (typeof maxTtl === 'number' && Number.isInteger(maxTtl) && maxTtl >= 0) out.tlsa.maxTtl = maxTtl;
    else problems.push(`${SETTINGS_SECTION}.TLSAMaxTTL: expected a whole number of seconds`);
  }
  const bump = nested(r, 'serial', 'bumpOnSave');
  if (bump !== undefined && bump !== null) {
    if (bump === 'off' || bump === 'ask' || bump === 'on') out.serial.bumpOnSave = bump;
    else problems.push(`${SETTINGS_SECTION}.serial.bumpOnSave: \`${String(bump)}\` is not off, ask or on`);
  }
  const ownerStyle = nested(r, 'format', 'ownerStyle');
  if (ownerStyle !== undefined && ownerStyle !== null) {
    if (ownerStyle === 'keep' || ownerStyle === 'repeat' || ownerStyle === 'blank') out.format.ownerStyle = ownerStyle;
    else problems.push(`${SETTINGS_SECTION}.format.ownerStyle: \`${String(ownerStyle)}\` is not keep, repeat or blank`);
  }
  sanitizeCertAndLiveSettings(r, out, problems);
  return out;
}

/** `section.key` as VS Code sends it (`{ section: { key } }`), or the dotted key a hand-written client may send. */
function nested(r: Record<string, unknown>, section: string, key: string): unknown {
  const s = r[section];
  if (s !== null && typeof s === 'object' && !Array.isArray(s)) return (s as Record<string, unknown>)[key];
  return r[`${section}.${key}`];
}

/** The analysis options that come from settings (a change means re-analysing). */
export function analysisSettings(s: DaneZoneSettings): { dnssec?: 'signed' | 'unsigned' | 'inline'; tlsaMaxTtl: number; rrsigExpiryWindowSeconds: number; checkNames?: 'warn' | 'error' } {
  const base = { dnssec: s.dnssec, tlsaMaxTtl: s.tlsa.maxTtl, rrsigExpiryWindowSeconds: Math.round(s.expiryWarningDays * 86400) };
  return s.checkNames === 'off' ? base : { ...base, checkNames: s.checkNames };
}
