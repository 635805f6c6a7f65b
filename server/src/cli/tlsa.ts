/**
 * `dane-zone tlsa`: ready-to-paste TLSA records for a certificate, a key or a CSR, offline (like
 * `danetool --tlsa-rr` or hash-slinger's `tlsa --create`, without a connection):
 *
 *   dane-zone tlsa --cert FILE [--usage N --selector N --mtype N] [--port 25] [--proto tcp] [--next FILE] [--ca] HOST
 *   _25._tcp.HOST. IN TLSA 3 1 1 <hex>
 *
 * `--ca` makes the record for the issuing CA of the chain (usage 2, `2 1 1` by default: the
 * certificate after the leaf, not the root). `--next` adds the same record for the next key.
 * Exit 0, or 2 on a usage error or a file that cannot be used.
 */
import { DEFAULT_CERT_MAX_BYTES, getZoneLanguageService, KeyMaterial, parseName, TlsaRecordSpec, ZoneIO } from '../core';
import { OptionSpec, parseCommandArgs } from './args';

const core = getZoneLanguageService();

export const TLSA_USAGE = `Usage:
  dane-zone tlsa --cert FILE [--usage N --selector N --mtype N] [--port 25] [--proto tcp] [--next FILE] [--ca] HOST

Prints TLSA records for HOST from a certificate, a chain, a public or private key, or a CSR
(PEM or DER; an encrypted key is refused). Only the public key is read from a private key.
  --cert FILE      the certificate (chain, leaf first) or key in use
  --next FILE      also print the record for the next key/certificate (publish it before the switch)
  --usage N        3 DANE-EE (default) or 2 DANE-TA; 0/1 (PKIX) are not used by SMTP
  --selector N     1 the public key (default) or 0 the whole certificate
  --mtype N        1 SHA2-256 (default), 2 SHA2-512 or 0 the full data
  --ca             the record of the issuing CA of the chain (usage 2, \`2 1 1\` by default)
  --port N         the port (default 25, SMTP); --proto tcp|udp|sctp (default tcp)
Exit status: 0 records printed, 2 usage error or a file that cannot be used.
`;

export interface TlsaArgs {
  cert: string;
  next?: string;
  usage: number;
  selector: number;
  matchingType: number;
  port: number;
  protocol: string;
  ca: boolean;
  /** Absolute host name (with the trailing dot). */
  host: string;
}

function integer(name: string, v: string, max: number, hint: string): number | string {
  if (!/^[0-9]+$/.test(v) || Number(v) > max) return `${name} ${v}: ${hint}`;
  return Number(v);
}

/** Parses the arguments after `tlsa`: the arguments, 'help', or a usage error. */
const TLSA_OPTIONS: OptionSpec = {
  cert: { type: 'string' },
  next: { type: 'string' },
  usage: { type: 'string' },
  selector: { type: 'string' },
  mtype: { type: 'string' },
  'matching-type': { type: 'string' },
  port: { type: 'string' },
  proto: { type: 'string' },
  protocol: { type: 'string' },
  ca: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export function parseTlsaArgs(args: readonly string[]): TlsaArgs | 'help' | { error: string } {
  const parsed = parseCommandArgs(args, TLSA_OPTIONS);
  if ('error' in parsed) {
    if (args.includes('-h') || args.includes('--help')) return 'help';
    if (/^--ca=/.test(args.find((a) => a.startsWith('--ca=')) ?? '')) return { error: '--ca takes no value' };
    return { error: parsed.error.startsWith('unknown option') ? `tlsa: ${parsed.error}` : parsed.error };
  }
  const o = parsed.values as Record<string, string | undefined> & { help?: boolean; ca?: boolean };
  if (o.help) return 'help';
  for (const [k, v] of Object.entries(o)) if (v === '') return { error: `--${k} needs a value` };
  const cert = o.cert;
  const next = o.next;
  let usage: number | undefined;
  let selector = 1;
  let matchingType = 1;
  let port = 25;
  let protocol = 'tcp';
  const ca = o.ca === true;
  const hosts = parsed.positionals;
  let got: number | string;
  if (o.usage !== undefined) {
    got = integer('--usage', o.usage, 3, 'use 3 (DANE-EE) or 2 (DANE-TA); 0 and 1 are the PKIX usages');
    if (typeof got === 'string') return { error: got };
    usage = got;
  }
  if (o.selector !== undefined) {
    got = integer('--selector', o.selector, 1, 'use 1 (the public key) or 0 (the whole certificate)');
    if (typeof got === 'string') return { error: got };
    selector = got;
  }
  const mt = o.mtype ?? o['matching-type'];
  if (mt !== undefined) {
    got = integer(o.mtype !== undefined ? '--mtype' : '--matching-type', mt, 2, 'use 1 (SHA2-256), 2 (SHA2-512) or 0 (full data)');
    if (typeof got === 'string') return { error: got };
    matchingType = got;
  }
  if (o.port !== undefined) {
    got = integer('--port', o.port, 65535, 'a port is a number 0..65535');
    if (typeof got === 'string') return { error: got };
    port = got;
  }
  const proto = o.proto ?? o.protocol;
  if (proto !== undefined) {
    const p = proto.replace(/^_/, '').toLowerCase();
    if (!['tcp', 'udp', 'sctp'].includes(p)) return { error: `${o.proto !== undefined ? '--proto' : '--protocol'} ${proto}: use tcp, udp or sctp` };
    protocol = p;
  }
  if (cert === undefined) return { error: 'tlsa: --cert FILE is required (the certificate, chain or key in use)' };
  if (hosts.length === 0) return { error: 'tlsa: no host name given (the mail server, e.g. mx1.example.com)' };
  if (hosts.length > 1) return { error: `tlsa: one host name at a time (got ${hosts.join(', ')})` };
  if (ca && usage !== undefined && usage !== 2) return { error: `--ca makes a DANE-TA record (usage 2), not usage ${usage}` };
  const raw = hosts[0];
  const name = parseName(raw.endsWith('.') ? raw : `${raw}.`, '.');
  if (name.name === undefined) return { error: `tlsa: ${raw}: ${name.error}` };
  if (name.name === '.') return { error: 'tlsa: the root is not a host name' };
  return { cert, next, usage: usage ?? (ca ? 2 : 3), selector, matchingType, port, protocol, ca, host: name.name };
}

export interface TlsaStreams {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

async function read(io: Pick<ZoneIO, 'readBytes'>, option: string, file: string): Promise<KeyMaterial | string> {
  let bytes: Uint8Array;
  try {
    if (!io.readBytes) return `cannot read ${option} ${file}: no file access`;
    bytes = io.readBytes(file, DEFAULT_CERT_MAX_BYTES);
  } catch (e) {
    return `cannot read ${option} ${file}: ${e instanceof Error ? e.message : String(e)}`;
  }
  const r = await core.loadKeyMaterial(bytes);
  return r.ok ? r.material : `cannot use ${option} ${file}: ${r.error}`;
}

/** Runs `dane-zone tlsa` with parsed arguments; returns the exit code (0, or 2 for a file that cannot be used). */
export async function runTlsa(a: TlsaArgs, io: Pick<ZoneIO, 'readBytes'>, streams: TlsaStreams): Promise<number> {
  const owner = `_${a.port}._${a.protocol}.${a.host}`;
  const specs: TlsaRecordSpec[] = [];
  for (const [option, file] of [['--cert', a.cert], ['--next', a.next]] as const) {
    if (file === undefined) continue;
    const m = await read(io, option, file);
    if (typeof m === 'string') {
      streams.stderr(`dane-zone: ${m}\n`);
      return 2;
    }
    for (const note of m.notes) streams.stderr(`dane-zone: ${file}: ${note}\n`);
    const spec = await core.recordSpecFor(m, a.usage, a.selector, a.matchingType);
    if ('error' in spec) {
      streams.stderr(`dane-zone: ${option} ${file} (${core.describeMaterial(m)}): ${spec.error}\n`);
      return 2;
    }
    if (!specs.some((s) => s.hex === spec.hex)) specs.push(spec);
  }
  if (a.port === 25 && a.protocol === 'tcp' && a.usage < 2) {
    streams.stderr(`dane-zone: warning: usage ${a.usage} (PKIX-${a.usage === 0 ? 'TA' : 'EE'}) is not used by SMTP (RFC 7672 §3.1.3): use ${a.usage + 2}\n`);
  }
  streams.stdout(specs.map((s) => `${owner} IN TLSA ${s.usage} ${s.selector} ${s.matchingType} ${s.hex}\n`).join(''));
  return 0;
}
