import { CertificateLinkValue } from '../core';
import { parseResolver } from '../live/address';

/**
 * The certificate and live-check parts of the `daneZone` settings, sanitized (kept apart from
 * settings.ts so that file stays small): `certificates.hosts`, `certificates.expiryDays`,
 * `live.resolver`.
 */

export interface CertificateSettings {
  /** Host (`mx1.example.com`, `*.example.com`, `*`) → path with `{host}`, or `{ cert, next }`. */
  hosts: Record<string, CertificateLinkValue>;
  /** tlsa-cert-expiring: days before expiry. */
  expiryDays: number;
}

const MAX_EXPIRY_DAYS = 3650;

function section(r: Record<string, unknown>, name: string): Record<string, unknown> {
  const s = r[name];
  const out: Record<string, unknown> = {};
  if (s !== null && typeof s === 'object' && !Array.isArray(s)) Object.assign(out, s);
  // Dotted keys, as a hand-configured client may send them.
  for (const [k, v] of Object.entries(r)) if (k.startsWith(`${name}.`) && out[k.slice(name.length + 1)] === undefined) out[k.slice(name.length + 1)] = v;
  return out;
}

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** Fills `out.certificates` and `out.live` from the raw settings `r`; one line in `problems` per ignored value. */
export function sanitizeCertAndLiveSettings(
  r: Record<string, unknown>,
  out: { certificates: CertificateSettings; live: { resolver?: string } },
  problems: string[],
): void {
  const c = section(r, 'certificates');
  const hosts = c.hosts;
  if (hosts !== undefined && hosts !== null) {
    if (typeof hosts !== 'object' || Array.isArray(hosts)) {
      problems.push('daneZone.certificates.hosts: expected an object of host → path (or { "cert": path, "next": path })');
    } else {
      for (const [host, value] of Object.entries(hosts as Record<string, unknown>)) {
        if (host.trim() === '') {
          problems.push('daneZone.certificates.hosts: an empty host name is ignored');
        } else if (nonEmpty(value)) {
          out.certificates.hosts[host] = value;
        } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
          const v = value as Record<string, unknown>;
          const linked: { cert?: string; next?: string } = {};
          if (nonEmpty(v.cert)) linked.cert = v.cert;
          if (nonEmpty(v.next)) linked.next = v.next;
          const unknownKeys = Object.keys(v).filter((k) => k !== 'cert' && k !== 'next');
          if (unknownKeys.length > 0 || (v.cert !== undefined && !nonEmpty(v.cert)) || (v.next !== undefined && !nonEmpty(v.next))) {
            problems.push(`daneZone.certificates.hosts.${host}: expected { "cert": path, "next": path } (paths as text)`);
          }
          if (linked.cert !== undefined || linked.next !== undefined) out.certificates.hosts[host] = linked;
        } else {
          problems.push(`daneZone.certificates.hosts.${host}: expected a path, or { "cert": path, "next": path }`);
        }
      }
    }
  }
  const days = c.expiryDays;
  if (days !== undefined && days !== null) {
    if (typeof days === 'number' && Number.isInteger(days) && days >= 0) out.certificates.expiryDays = Math.min(days, MAX_EXPIRY_DAYS);
    else problems.push('daneZone.certificates.expiryDays: expected a whole number of days ≥ 0');
  }
  const resolver = section(r, 'live').resolver;
  if (resolver !== undefined && resolver !== null && !(typeof resolver === 'string' && resolver.trim() === '')) {
    if (typeof resolver === 'string' && parseResolver(resolver.trim())) out.live.resolver = resolver.trim();
    else problems.push(`daneZone.live.resolver: \`${String(resolver)}\` is not an IP address with an optional port (192.0.2.53, 192.0.2.53:5353, [2001:db8::53]:53); the system's resolver is used`);
  }
}
