import { parseIPv4Into, parseIPv6Into } from '../core';

/**
 * The resolver address of `daneZone.live.resolver` / `--resolver`, parsed without node:net (the
 * settings are read in the Web Worker's server too, where the live check itself is absent).
 */

export interface ResolverAddress {
  host: string;
  port: number;
}

const scratch = new Uint8Array(16);
const isIPv4 = (s: string) => parseIPv4Into(s, scratch, 0);
/** An IPv6 address, with a zone index (`fe80::1%eth0`) allowed as node:net allows it. */
const isIPv6 = (s: string) => parseIPv6Into(s.replace(/%[^%]+$/, ''), scratch, 0);

/** `IP`, `IP:PORT`, `[IPv6]:PORT` or a bare IPv6 address → host and port (53 by default); undefined when not an address. */
export function parseResolver(text: string): ResolverAddress | undefined {
  let host = text.trim();
  let port = 53;
  const br = /^\[([^\]]+)\](?::(\d+))?$/.exec(host);
  if (br) {
    host = br[1];
    if (br[2] !== undefined) port = Number(br[2]);
  } else if (!isIPv6(host)) {
    const m = /^([^:]+):(\d+)$/.exec(host);
    if (m) { host = m[1]; port = Number(m[2]); }
  }
  if (!(isIPv4(host) || isIPv6(host)) || !Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return { host, port };
}
