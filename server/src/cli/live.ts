import { getZoneLanguageService, parseName } from '../core';
import { checkLive, LiveCheckOptions } from '../live/check';
import { liveExitCode, liveJson, liveText } from '../live/format';
import { createNodeLiveIO, parseResolver } from '../live/node';
import { LiveIO } from '../live/types';
import { LiveZone } from '../live/zoneFile';
import { createNodeIO, readTextFile } from '../node/io';
import { OptionSpec, parseCommandArgs } from './args';

const core = getZoneLanguageService();

/**
 * `dane-zone live DOMAIN|HOST [--resolver IP[:PORT]] [--port 25] [--zone FILE] [--format text|json]`
 *
 * Asks a validating resolver about the domain's MX hosts and their TLSA records, connects to
 * each address over SMTP/STARTTLS, and reports what the world sees (and how it differs from
 * the zone file, with --zone). Exit 0: all good · 1: a failure found · 2: could not check
 * (or a usage error).
 */

export const LIVE_USAGE = `  dane-zone live DOMAIN|HOST [--resolver IP[:PORT]] [--port 25] [--zone FILE] [--format text|json]
          [--timeout SECONDS] [--helo NAME] [-4|-6]
`;

export const LIVE_HELP = `  live    Check the deployed MX hosts of DOMAIN (or HOST, when it has no MX) as senders see them:
          DNSSEC status of MX, A/AAAA and TLSA (_PORT._tcp.HOST), and for each address the
          certificate presented over STARTTLS against every published record. Never sends mail.
          Exit status: 0 all good, 1 a failure found, 2 could not check.
          --resolver IP[:PORT]  validating resolver to ask (default: the system's, /etc/resolv.conf)
          --port N              SMTP port and TLSA port label (default 25)
          --zone FILE           the zone file: report drift (published TLSA vs the file) and match its records too
          --format text|json    report format (default text)
          --timeout SECONDS     overall deadline (default 120)
          --helo NAME           name sent in EHLO (default localhost)
          -4 / -6               connect over IPv4 / IPv6 only
`;

export interface LiveStreams {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

export class LiveUsageError extends Error {}

export interface LiveArgs {
  target: string;
  resolver?: string;
  port: number;
  zone?: string;
  format: 'text' | 'json';
  timeoutMs?: number;
  helo?: string;
  ipv4: boolean;
  ipv6: boolean;
}

const LIVE_OPTIONS: OptionSpec = {
  resolver: { type: 'string' },
  port: { type: 'string' },
  zone: { type: 'string' },
  format: { type: 'string', short: 'f' },
  timeout: { type: 'string' },
  helo: { type: 'string' },
  ipv4: { type: 'boolean', short: '4' },
  ipv6: { type: 'boolean', short: '6' },
  help: { type: 'boolean', short: 'h' },
};

export function parseLiveArgs(args: readonly string[]): LiveArgs | 'help' {
  const out: Partial<LiveArgs> & { ipv4: boolean; ipv6: boolean } = { port: 25, format: 'text', ipv4: true, ipv6: true };
  const parsed = parseCommandArgs(args, LIVE_OPTIONS);
  if ('error' in parsed) {
    if (args.includes('-h') || args.includes('--help')) return 'help';
    throw new LiveUsageError(parsed.error.startsWith('unknown option') ? `live: ${parsed.error}` : parsed.error);
  }
  const o = parsed.values as Record<string, string | undefined> & { help?: boolean };
  if (o.help) return 'help';
  if (o.resolver !== undefined) {
    const v = o.resolver;
    if (!parseResolver(v)) throw new LiveUsageError(`--resolver ${v}: give an IP address, optionally with a port (192.0.2.53, 192.0.2.53:5353, [2001:db8::53]:53)`);
    out.resolver = v;
  }
  if (o.port !== undefined) {
    const v = o.port;
    if (!/^\d{1,5}$/.test(v) || Number(v) < 1 || Number(v) > 65535) throw new LiveUsageError(`--port ${v}: give a port number 1..65535`);
    out.port = Number(v);
  }
  if (o.zone !== undefined) out.zone = o.zone;
  if (o.format !== undefined) {
    const v = o.format;
    if (v !== 'text' && v !== 'json') throw new LiveUsageError(`unknown format \`${v}\`: use text or json`);
    out.format = v;
  }
  if (o.timeout !== undefined) {
    const v = o.timeout;
    if (!/^\d+(\.\d+)?$/.test(v) || Number(v) <= 0) throw new LiveUsageError(`--timeout ${v}: give seconds, such as 60`);
    out.timeoutMs = Math.round(Number(v) * 1000);
  }
  if (o.helo !== undefined) out.helo = o.helo;
  // -4 and -6: the last one given wins.
  const last4 = Math.max(args.lastIndexOf('-4'), args.lastIndexOf('--ipv4'));
  const last6 = Math.max(args.lastIndexOf('-6'), args.lastIndexOf('--ipv6'));
  if (last4 > last6) { out.ipv4 = true; out.ipv6 = false; } else if (last6 > last4) { out.ipv4 = false; out.ipv6 = true; }
  const positional = parsed.positionals;
  if (positional.length === 0) throw new LiveUsageError('live: give the domain (or mail host) to check');
  if (positional.length > 1) throw new LiveUsageError(`live: one domain at a time (got ${positional.join(', ')})`);
  const raw = positional[0];
  const n = parseName(raw.endsWith('.') ? raw : `${raw}.`, '.');
  if (n.name === undefined || n.name === '.' || !/^[A-Za-z0-9_.-]+$/.test(n.name)) throw new LiveUsageError(`live: \`${raw}\` is not a domain name`);
  out.target = n.name;
  return out as LiveArgs;
}

function loadZone(file: string): LiveZone {
  const text = readTextFile(file);
  const parsed = core.parseZone(text, { fileName: file, io: createNodeIO() });
  return { records: parsed.records, zoneOrigin: parsed.zoneOrigin };
}

/** Runs `dane-zone live`; resolves to the exit code. `io` replaces the network (tests). */
export async function runLive(argv: readonly string[], streams: LiveStreams, io?: LiveIO, signal?: AbortSignal): Promise<number> {
  let args: LiveArgs | 'help';
  try {
    args = parseLiveArgs(argv);
  } catch (e) {
    if (e instanceof LiveUsageError) {
      streams.stderr(`dane-zone: ${e.message}\n\nUsage:\n${LIVE_USAGE}\n${LIVE_HELP}`);
      return 2;
    }
    throw e;
  }
  if (args === 'help') {
    streams.stdout(`Usage:\n${LIVE_USAGE}\n${LIVE_HELP}`);
    return 0;
  }
  let zone: LiveZone | undefined;
  if (args.zone !== undefined) {
    try {
      zone = loadZone(args.zone);
    } catch (e) {
      streams.stderr(`dane-zone: cannot read ${args.zone}: ${(e as Error).message}\n`);
      return 2;
    }
  }
  const liveIO = io ?? createNodeLiveIO({ resolvers: args.resolver ? [parseResolver(args.resolver)!] : undefined });
  const options: LiveCheckOptions = {
    port: args.port,
    zone,
    heloName: args.helo,
    ipv4: args.ipv4,
    ipv6: args.ipv6,
    signal,
    ...(args.timeoutMs ? { timeouts: { overall: args.timeoutMs } } : {}),
  };
  const report = await checkLive(args.target, liveIO, options);
  streams.stdout(args.format === 'json' ? liveJson(report) : liveText(report));
  return liveExitCode(report);
}
