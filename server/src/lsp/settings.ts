import { DEFAULT_TLSA_MAX_TTL } from '../core/dane/checks';
import { SeverityOverrides } from '../core/rules';

/** The `daneZone` configuration section, as the server uses it. */
export interface DaneZoneSettings {
  /** Per-code severity: error | warning | information | hint | off. */
  severity: SeverityOverrides;
  /** Milliseconds between the last keystroke and the diagnostics run. */
  diagnosticsDelay: number;
  inlayHints: {
    /** Show the RFC 7218 acronyms after TLSA/SMIMEA fields (`DANE-EE SPKI SHA2-256`). */
    enabled: boolean;
  };
  /** Whether the zone is DNSSEC-signed when its file does not say (`; dane-zone dnssec=`): undefined = from its records. */
  dnssec?: 'signed' | 'unsigned' | 'inline';
  tlsa: {
    /** TLSA TTLs above this many seconds get `tlsa-high-ttl`. */
    maxTtl: number;
  };
}

export const SETTINGS_SECTION = 'daneZone';
export const DEFAULT_DELAY_MS = 200;
const MAX_DELAY_MS = 10_000;

export function defaultSettings(): DaneZoneSettings {
  return { severity: {}, diagnosticsDelay: DEFAULT_DELAY_MS, inlayHints: { enabled: true }, tlsa: { maxTtl: DEFAULT_TLSA_MAX_TTL } };
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
  const dnssec = r.dnssec;
  if (dnssec !== undefined && dnssec !== null && dnssec !== 'auto') {
    if (dnssec === 'signed' || dnssec === 'unsigned' || dnssec === 'inline') out.dnssec = dnssec;
    else problems.push(`${SETTINGS_SECTION}.dnssec: \`${String(dnssec)}\` is not auto, signed, unsigned or inline`);
  }
  const tlsa = r.tlsa as Record<string, unknown> | undefined;
  const maxTtl = tlsa && typeof tlsa === 'object' ? tlsa.maxTtl : r['tlsa.maxTtl'];
  if (maxTtl !== undefined && maxTtl !== null) {
    if (typeof maxTtl === 'number' && Number.isInteger(maxTtl) && maxTtl >= 0) out.tlsa.maxTtl = maxTtl;
    else problems.push(`${SETTINGS_SECTION}.tlsa.maxTtl: expected a whole number of seconds`);
  }
  return out;
}

/** The analysis options that come from settings (a change means re-analysing). */
export function analysisSettings(s: DaneZoneSettings): { dnssec?: 'signed' | 'unsigned' | 'inline'; tlsaMaxTtl: number } {
  return { dnssec: s.dnssec, tlsaMaxTtl: s.tlsa.maxTtl };
}
