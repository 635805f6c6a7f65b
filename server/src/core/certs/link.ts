/**
 * Which certificate/key files are linked to which TLSA RRset (dane-rules.md, "Linking
 * certificates to TLSA records"):
 *
 * - the comment directive `; dane-zone cert=PATH [next=PATH]` applies to the TLSA RRset of the
 *   first TLSA record that follows it; paths are relative to the zone file;
 * - settings map host names to paths, with `{host}` standing for the TLSA base host without its
 *   trailing dot (`/etc/letsencrypt/live/{host}/fullchain.pem`). Keys are a host name, `*.domain`
 *   (any host below the domain) or `*` (every host); a value is a path (the certificate in use)
 *   or `{ cert, next }`.
 *
 * A directive wins over the settings, key by key. Pure: paths are resolved through ZoneIO.
 */
import { DaneDirective, ZoneRecord } from '../model';
import { groupTlsaRRsets, TlsaRRset } from '../dane/view';
import { tlsaOwnerParts } from '../features/locate';
import { Span, ZoneIO } from '../types';
import { TYPE_TLSA } from '../rrtypes';

export type LinkRole = 'cert' | 'next';

/** A settings value: the certificate (chain) in use, or the current and next files. */
export type CertificateLinkValue = string | { cert?: string; next?: string };

export interface CertificateLinkSettings {
  /** Host → path (see the module comment). */
  hosts?: Readonly<Record<string, CertificateLinkValue>>;
}

export interface CertLinkOptions extends CertificateLinkSettings {
  /** The zone file's path: relative paths are resolved against its folder. */
  zoneFile?: string;
}

/** One linked file of an RRset. */
export interface CertLink {
  role: LinkRole;
  /** The path as written (for settings: with `{host}` filled in). */
  written: string;
  /** The resolved path; undefined when it could not be resolved (resolveError says why). */
  path?: string;
  resolveError?: string;
  source: 'directive' | 'settings';
  /** For a directive: the span of its `cert=…` / `next=…` item. */
  at?: Span;
  /** For settings: the key that matched (`mx1.example.com`, `*.example.com`, `*`). */
  settingKey?: string;
}

export interface RRsetLinks {
  rrset: TlsaRRset;
  /** The TLSA base host without its trailing dot (`mx1.example.com`). */
  host: string;
  port?: number;
  /** Protocol without the underscore (`tcp`). */
  protocol?: string;
  /** The directive that linked it, if any. */
  directive?: DaneDirective;
  /** In order: cert, then next (each at most once). */
  links: CertLink[];
}

const ROLES: readonly LinkRole[] = ['cert', 'next'];

function hasLinkItems(d: DaneDirective): boolean {
  return d.items.some((i) => i.key === 'cert' || i.key === 'next');
}

/** True when some RRset of the view may be linked (a directive with cert=/next=, or host settings). */
export function hasCertLinks(view: { tlsa: readonly ZoneRecord[]; daneDirectives: readonly DaneDirective[] }, options: CertificateLinkSettings = {}): boolean {
  // (the links first: the CLI's view makes its TLSA records only when asked for them)
  if (!view.daneDirectives.some(hasLinkItems) && Object.keys(options.hosts ?? {}).length === 0) return false;
  return view.tlsa.some((r) => r.typeCode === TYPE_TLSA);
}

function hostKey(h: string): string {
  return h.toLowerCase().replace(/\.$/, '');
}

/** The settings value for a host: exact name, then the longest matching `*.domain`, then `*`. */
export function settingFor(hosts: Readonly<Record<string, CertificateLinkValue>> | undefined, host: string): { key: string; value: CertificateLinkValue } | undefined {
  if (!hosts) return undefined;
  const h = hostKey(host);
  let best: { key: string; value: CertificateLinkValue; len: number } | undefined;
  for (const [key, value] of Object.entries(hosts)) {
    const k = hostKey(key.trim());
    if (k === h) return { key, value };
    if (k === '*') { if (!best) best = { key, value, len: 0 }; continue; }
    if (k.startsWith('*.') && h.endsWith(k.slice(1)) && k.length - 1 > (best?.len ?? -1)) best = { key, value, len: k.length - 1 };
  }
  return best && { key: best.key, value: best.value };
}

function fill(template: string, host: string): string {
  return template.split('{host}').join(host);
}

/** For each directive with cert=/next=: the first TLSA record (of this file) after it. */
function directiveTargets(view: { tlsa: readonly ZoneRecord[]; daneDirectives: readonly DaneDirective[] }): Map<ZoneRecord, DaneDirective[]> {
  const out = new Map<ZoneRecord, DaneDirective[]>();
  const own = view.tlsa.filter((r) => r.includeFile === undefined && r.typeCode === TYPE_TLSA);
  for (const d of view.daneDirectives) {
    if (!hasLinkItems(d)) continue;
    // Binary search: records are in file order.
    let lo = 0;
    let hi = own.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (own[mid].start < d.end) lo = mid + 1; else hi = mid;
    }
    const r = own[lo];
    if (!r) continue;
    const list = out.get(r);
    if (list) list.push(d); else out.set(r, [d]);
  }
  return out;
}

function resolve(io: Pick<ZoneIO, 'resolvePath'>, zoneFile: string | undefined, written: string): { path?: string; resolveError?: string } {
  try {
    return { path: io.resolvePath(zoneFile, written) };
  } catch (e) {
    return { resolveError: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * The linked files of each TLSA RRset that has any (RRsets without links are left out), in
 * RRset order.
 */
export function linkRRsets(
  view: { tlsa: readonly ZoneRecord[]; daneDirectives: readonly DaneDirective[] },
  options: CertLinkOptions,
  io: Pick<ZoneIO, 'resolvePath'>,
): RRsetLinks[] {
  if (!hasCertLinks(view, options)) return [];
  const targets = directiveTargets(view);
  const out: RRsetLinks[] = [];
  for (const rrset of groupTlsaRRsets(view.tlsa)) {
    if (rrset.typeCode !== TYPE_TLSA) continue;
    const parts = tlsaOwnerParts(rrset.owner);
    if (!parts || parts.base === '.') continue;
    const host = parts.base.replace(/\.$/, '');
    const links = new Map<LinkRole, CertLink>();
    const setting = settingFor(options.hosts, host);
    if (setting) {
      const v = setting.value;
      const paths: Partial<Record<LinkRole, string>> = typeof v === 'string' ? { cert: v } : v && typeof v === 'object' ? { cert: v.cert, next: v.next } : {};
      for (const role of ROLES) {
        const p = paths[role];
        if (typeof p !== 'string' || p.trim() === '') continue;
        const written = fill(p.trim(), host);
        links.set(role, { role, written, ...resolve(io, options.zoneFile, written), source: 'settings', settingKey: setting.key });
      }
    }
    let directive: DaneDirective | undefined;
    for (const r of rrset.records) {
      for (const d of targets.get(r) ?? []) {
        directive = d;
        for (const it of d.items) {
          if (it.key !== 'cert' && it.key !== 'next') continue;
          const role = it.key;
          const written = it.value;
          const link: CertLink = written === ''
            ? { role, written, resolveError: `\`${role}=\` has no path`, source: 'directive', at: { start: it.start, end: it.end } }
            : { role, written, ...resolve(io, options.zoneFile, written), source: 'directive', at: { start: it.start, end: it.end } };
          links.set(role, link);
        }
      }
    }
    if (links.size === 0) continue;
    out.push({
      rrset, host, port: parts.port, protocol: parts.protocol.toLowerCase(), directive,
      links: ROLES.filter((r) => links.has(r)).map((r) => links.get(r)!),
    });
  }
  return out;
}

/** How a link is named in messages: `` `cert=certs/mx1.pem` `` or `the settings for mx1.example.com`. */
export function describeLink(link: CertLink, host: string): string {
  if (link.source === 'directive') return `\`${link.role}=${link.written}\``;
  const which = link.role === 'cert' ? 'certificate' : 'next key';
  return `the ${which} the settings link to ${host} (\`${link.settingKey ?? host}\` → \`${link.written}\`)`;
}
