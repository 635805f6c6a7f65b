/**
 * Hover on owner names: the records at a name, an MX target's DANE state, a TLSA owner's
 * port, protocol and host with what this zone says about that host, an SMIMEA owner's parts.
 */
import { ZoneRecord } from '../model';
import { isAtOrBelow, nameKey } from '../names';
import { TYPE_A, TYPE_AAAA, TYPE_CNAME, TYPE_SMIMEA, TYPE_TLSA } from '../rrtypes';
import { Token } from '../types';
import { code, link, serviceName } from './docs';
import { absoluteName, mxTargetOf, recordsOwnedBy, tlsaOwnerParts } from './locate';
import { HoverContext as Ctx, listLimited, plural, ZoneHover } from './hoverCommon';

/** What an MX exchange means for DANE in this zone. */
export function mxTargetNote(ctx: Ctx, host: string): string {
  const zone = ctx.parsed.zoneOrigin;
  const tlsaOwner = `_25._tcp.${host}`;
  const tlsa = recordsOwnedBy(ctx.parsed, tlsaOwner).filter((x) => x.typeCode === TYPE_TLSA);
  if (tlsa.length > 0) {
    return `DANE: ${code(tlsaOwner)} has ${plural(tlsa.length, 'TLSA record')} in this zone.`;
  }
  if (zone && !isAtOrBelow(host, zone)) {
    return `DANE: this host is outside this zone; its TLSA records (${code(tlsaOwner)}) are published in its own zone.`;
  }
  return `DANE: no TLSA records at ${code(tlsaOwner)} in this zone — senders cannot authenticate this host with DANE.`;
}

// ---- owners -------------------------------------------------------------------------

export function ownerHover(ctx: Ctx, r: ZoneRecord, t: Token): ZoneHover | undefined {
  const span = { start: t.start, end: t.end };
  if (!r.owner) return undefined;
  if (r.typeCode === TYPE_TLSA) return { contents: tlsaOwnerText(ctx, r.owner), ...span };
  if (r.typeCode === TYPE_SMIMEA) return { contents: smimeaOwnerText(r.owner), ...span };
  const here = recordsOwnedBy(ctx.parsed, r.owner);
  const types = [...new Set(here.map((x) => x.typeName || '?'))];
  const lines = [`**${code(r.owner)}**`, '', `${plural(here.length, 'record')} at this name: ${types.join(', ')}`];
  const key = nameKey(r.owner);
  const mx = mxTargetOf(ctx.parsed, key);
  if (mx) {
    lines.push('', `MX target of ${mx.mx.slice(0, ctx.maxListed).map((m) => `${code(m.record.owner)} (preference ${m.preference})`).join(', ')}${mx.mx.length > ctx.maxListed ? ', …' : ''}.`);
    lines.push('', mxTargetNote(ctx, r.owner));
  }
  return { contents: lines.join('\n'), ...span };
}

function smimeaOwnerText(owner: string): string {
  const m = /^([0-9a-fA-F]{56})\._smimecert\.(.+)$/.exec(owner);
  if (m) {
    return `**SMIMEA owner** ${code(owner)}\n\n- local part: SHA2-256 digest (first 28 octets) ${code(m[1])}\n- mail domain: ${code(m[2])}\n\n${link({ rfc: 8162, section: '3' })}`;
  }
  return `**SMIMEA owner** ${code(owner)}\n\n⚠ An SMIMEA owner is ${code('<hex of SHA2-256(local part), first 28 octets>._smimecert.<domain>')} (${link({ rfc: 8162, section: '3' })}).`;
}

function tlsaOwnerText(ctx: Ctx, owner: string): string {
  const parts = tlsaOwnerParts(owner);
  if (!parts) {
    return `**TLSA owner** ${code(owner)}\n\n⚠ A TLSA owner is ${code('_<port>._<protocol>.<host>')}, e.g. ${code('_25._tcp.mx1.example.com.')} (${link({ rfc: 6698, section: '3' })}).`;
  }
  const lines = [`**TLSA owner** ${code(owner)}`, ''];
  if (parts.port === undefined) {
    lines.push(`- port: ⚠ ${code(parts.portLabel)} is not ${code('_')} followed by a port 0..65535 without leading zeros — clients never look up this name`);
  } else {
    const svc = serviceName(parts.port);
    lines.push(`- port **${parts.port}**${svc ? ` — ${svc}` : ''}`);
  }
  const proto = parts.protocol.toLowerCase();
  const known = proto === 'tcp' || proto === 'udp' || proto === 'sctp';
  lines.push(`- protocol **${parts.protocol.toUpperCase()}**${known ? '' : ` — ⚠ not one of ${code('_tcp')}, ${code('_udp')}, ${code('_sctp')}`}`);
  lines.push(`- host ${code(parts.base)}`);

  const hostKey = nameKey(parts.base);
  const zone = ctx.parsed.zoneOrigin;
  const inZone = !zone || isAtOrBelow(parts.base, zone);
  // MX records that name this host.
  const mx = mxTargetOf(ctx.parsed, hostKey);
  lines.push('');
  if (mx) {
    const items = mx.mx.map((m) => `${code(m.record.owner)} MX preference ${m.preference}${m.record.includeFile ? ` (from ${code(m.record.includeFile)})` : ''}`);
    lines.push(`**MX target** in this zone, of:`, listLimited(items, ctx.maxListed));
  } else {
    lines.push('**Not an MX target** of any MX record in this zone.');
  }
  // Addresses and aliases of the host.
  const atHost = recordsOwnedBy(ctx.parsed, parts.base);
  const addrs = atHost.filter((x) => x.typeCode === TYPE_A || x.typeCode === TYPE_AAAA);
  const cname = atHost.find((x) => x.typeCode === TYPE_CNAME);
  lines.push('');
  if (addrs.length) {
    lines.push(`**Addresses** in this zone:`, listLimited(addrs.map((x) => `${x.typeName} ${code(x.rdata.map((k) => k.text).join(' '))}${x.includeFile ? ` (from ${code(x.includeFile)})` : ''}`), ctx.maxListed));
  } else if (cname) {
    const target = absoluteName(cname, cname.rdata[0]) ?? cname.rdata[0]?.text ?? '?';
    lines.push(`The host is an alias (CNAME to ${code(target)}): clients look for TLSA records at the alias target first (${link({ rfc: 7671, section: '7' })}).`);
  } else if (inZone) {
    lines.push('**No A/AAAA records** for this host in this zone.');
  } else {
    lines.push(`The host is outside this zone (${code(zone!)}): its addresses are not in this file.`);
  }
  if (parts.port === 25 && proto === 'tcp') {
    lines.push('', `SMTP senders look up ${code('_25._tcp.')} + each MX host of a domain, and only use DANE when this RRset is DNSSEC-signed (${link({ rfc: 7672, section: '2.2' })}).`);
  }
  return lines.join('\n');
}
