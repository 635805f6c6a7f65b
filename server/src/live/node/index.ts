/**
 * The Node implementation of LiveIO: DNS to a configured resolver (or the system's, from
 * /etc/resolv.conf), SMTP over node:net / node:tls. Creating it touches nothing; only the
 * checker's calls do, and only when a user asked for a live check.
 */
import * as fs from 'node:fs';
import { LiveIO } from '../types';
import { createNodeDns, formatResolver, parseResolver, ResolverAddress } from './dns';
import { connectSmtp } from './smtp';

export { parseResolver, formatResolver } from './dns';
export type { ResolverAddress } from './dns';

/** The `nameserver` lines of a resolv.conf text (glibc: none means 127.0.0.1). */
export function parseResolvConf(text: string): ResolverAddress[] {
  const out: ResolverAddress[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    if (!m) continue;
    const r = parseResolver(m[1]);
    if (r && !out.some((o) => o.host === r.host && o.port === r.port)) out.push(r);
  }
  return out;
}

export function systemResolvers(file = '/etc/resolv.conf'): ResolverAddress[] {
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    /* no file: the glibc default below */
  }
  const found = parseResolvConf(text);
  return found.length > 0 ? found : [{ host: '127.0.0.1', port: 53 }];
}

export interface NodeLiveIOOptions {
  /** Resolvers to ask (default: the system's). */
  resolvers?: ResolverAddress[];
  /** Per DNS attempt on one server (default 2000 ms). */
  dnsAttemptMs?: number;
  now?: () => Date;
}

export function createNodeLiveIO(options: NodeLiveIOOptions = {}): LiveIO {
  const system = options.resolvers === undefined;
  const resolvers = options.resolvers ?? systemResolvers();
  return {
    dns: createNodeDns({ servers: resolvers, attemptTimeoutMs: options.dnsAttemptMs }),
    connect: connectSmtp,
    now: options.now ?? (() => new Date()),
    resolverName: `${resolvers.map(formatResolver).join(', ')}${system ? ' (from /etc/resolv.conf)' : ''}`,
  };
}
