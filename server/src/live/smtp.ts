/**
 * The SMTP side of the live check, over an SmtpConnection (types.ts): banner, EHLO, STARTTLS,
 * the TLS handshake (SNI = the MX host name), then QUIT. Never MAIL FROM: nothing is ever
 * sent but EHLO, STARTTLS and QUIT. Every step has a deadline; replies are read with bounds
 * (line length, reply size, line count), so a server that floods, stalls or talks garbage
 * ends the probe quickly with the step and the reason.
 */
import { latin1 } from '../core';
import { DeadlineError, formatMs, withDeadline } from './deadline';
import { KeyType, LiveIO, SmtpConnection, Step, StepReport, TlsHandshake } from './types';

/** Longest reply line accepted (RFC 5321 §4.5.3.1.5 says 512 octets with CRLF; servers exceed it a little). */
export const MAX_LINE = 4096;
/** Largest whole reply (an EHLO reply is a few hundred octets). */
export const MAX_REPLY = 64 * 1024;
const MAX_LINES = 256;

export interface SmtpTimeouts {
  connect: number;
  /** Each reply (banner, EHLO, STARTTLS, QUIT). */
  reply: number;
  tls: number;
}

export interface SmtpProbeOptions {
  /** The MX host name: SNI, and the name the report uses. */
  host: string;
  /** The name sent in EHLO. */
  heloName: string;
  timeouts: SmtpTimeouts;
  /** Offer only this family of signature algorithms in the handshake (default: all). */
  keyType?: KeyType;
  /** Told when each step starts, with its deadline (progress for the editor). */
  onStep?: (step: Step, deadlineMs: number) => void;
}

export interface SmtpProbe {
  steps: StepReport[];
  failedStep?: Step;
  error?: string;
  /** True when the TCP connection could not be made (the check could not reach the server). */
  unreachable: boolean;
  banner?: string;
  ehloKeywords?: string[];
  starttlsOffered?: boolean;
  tls?: { protocol?: string; cipher?: string };
  /** DER certificates as sent, leaf first (empty when no handshake completed). */
  chain: Uint8Array[];
}

export interface SmtpReply {
  code: number;
  lines: string[];
}

export class SmtpProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SmtpProtocolError';
  }
}

/** Printable form of server text: control characters escaped, long text cut. */
export function printable(s: string, max = 120): string {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (c === 0x5c) out += '\\\\';
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x09) out += '\\t';
    else out += `\\x${c.toString(16).padStart(2, '0')}`;
    if (out.length >= max) return out.slice(0, max) + '…';
  }
  return out;
}


/** Reads SMTP replies (RFC 5321 §4.2) from a connection, within the bounds above. */
export class ReplyReader {
  private buf = '';
  private total = 0;

  constructor(private readonly conn: SmtpConnection) {}

  /** Octets received but not yet consumed as part of a reply. */
  get buffered(): number {
    return this.buf.length;
  }

  /** Octets of the reply being read received so far (complete lines and the partial one). */
  get received(): number {
    return this.total + this.buf.length;
  }

  async reply(signal: AbortSignal): Promise<SmtpReply> {
    const lines: string[] = [];
    let code = -1;
    this.total = 0;
    for (;;) {
      const line = await this.line(signal);
      const m = /^(\d{3})([ -]|$)(.*)$/s.exec(line);
      if (!m) {
        throw new SmtpProtocolError(lines.length === 0
          ? `not an SMTP reply: "${printable(line)}"`
          : `line ${lines.length + 1} of a reply is not an SMTP reply line: "${printable(line)}"`);
      }
      const c = Number(m[1]);
      if (code >= 0 && c !== code) throw new SmtpProtocolError(`a multi-line reply changes its code from ${code} to ${c}: "${printable(line)}"`);
      code = c;
      lines.push(m[3]);
      if (m[2] !== '-') return { code, lines };
      if (lines.length >= MAX_LINES) throw new SmtpProtocolError(`a reply of more than ${MAX_LINES} lines: not a well-behaved SMTP server`);
    }
  }

  private async line(signal: AbortSignal): Promise<string> {
    for (;;) {
      const nl = this.buf.indexOf('\n');
      if (nl >= 0) {
        const raw = this.buf.slice(0, nl);
        this.buf = this.buf.slice(nl + 1);
        this.total += nl + 1;
        if (raw.length > MAX_LINE) throw new SmtpProtocolError(`a reply line of ${raw.length} octets (at most ${MAX_LINE} accepted): "${printable(raw, 60)}"`);
        return raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      }
      if (this.buf.length > MAX_LINE) {
        throw new SmtpProtocolError(`more than ${MAX_LINE} octets without a line end (reading stopped): "${printable(this.buf, 60)}"`);
      }
      if (this.total + this.buf.length > MAX_REPLY) throw new SmtpProtocolError(`a reply longer than ${MAX_REPLY} octets (reading stopped)`);
      const chunk = await this.conn.read(signal);
      if (chunk === null) {
        throw new SmtpProtocolError(this.buf.length > 0
          ? `the server closed the connection in the middle of a reply: "${printable(this.buf)}"`
          : 'the server closed the connection');
      }
      this.buf += latin1(chunk);
    }
  }
}

function firstLine(r: SmtpReply): string {
  return `${r.code} ${printable(r.lines[0] ?? '')}`;
}

function describe(e: unknown): string {
  if (e instanceof DeadlineError) return `no reply within ${formatMs(e.ms)}`;
  return e instanceof Error ? e.message : String(e);
}

/**
 * A greeting that did not complete in time. RFC 5321 §4.5.3.2.1 lets a client wait 5 minutes
 * for the 220 greeting; the check keeps a shorter total deadline for the whole greeting (a
 * server dripping one octet a second never ends it), and says so instead of calling the
 * server silent (issue 17 item 8).
 */
export function greetingDeadline(ms: number, received: number): string {
  const rfc = 'RFC 5321 §4.5.3.2.1 lets senders wait up to 5 minutes for it, so patient senders may still get through, slowly';
  return received > 0
    ? `the greeting was still incomplete when the check's total deadline of ${formatMs(ms)} for it passed (${received} octet${received === 1 ? '' : 's'} received, trickling in; ${rfc})`
    : `no greeting within the check's total deadline of ${formatMs(ms)} for it (${rfc})`;
}

/** EHLO keywords (first word of each line after the greeting), upper-case. */
export function ehloKeywords(r: SmtpReply): string[] {
  return r.lines.slice(1).map((l) => l.trim().split(/\s+/)[0].toUpperCase()).filter((k) => k.length > 0);
}

/**
 * Talks to one address: never throws (except when `signal` itself aborts: then the caller's
 * AbortedError). The connection is always closed.
 */
export async function probeSmtp(io: LiveIO, address: string, port: number, options: SmtpProbeOptions, signal: AbortSignal): Promise<SmtpProbe> {
  const out: SmtpProbe = { steps: [], unreachable: false, chain: [] };
  const t = options.timeouts;
  const servername = options.host.endsWith('.') ? options.host.slice(0, -1) : options.host;
  let conn: SmtpConnection | undefined;
  let step: Step = 'connect';
  let stepStart = Date.now();
  const deadlineOf: Record<Step, number> = { connect: t.connect, banner: t.reply, ehlo: t.reply, starttls: t.reply, tls: t.tls, quit: Math.min(t.reply, 2000) };
  const begin = (s: Step): void => { step = s; stepStart = Date.now(); options.onStep?.(s, deadlineOf[s]); };
  const ok = (detail?: string): void => { out.steps.push({ step, ok: true, ms: Date.now() - stepStart, ...(detail ? { detail } : {}) }); };
  const fail = (detail: string): SmtpProbe => {
    out.steps.push({ step, ok: false, ms: Date.now() - stepStart, detail });
    out.failedStep = step;
    out.error = detail;
    return out;
  };
  try {
    options.onStep?.('connect', t.connect);
    try {
      conn = await withDeadline(signal, t.connect, `connect to ${address} port ${port}`, (s) => io.connect(address, port, s));
    } catch (e) {
      if (signal.aborted) throw e;
      out.unreachable = true;
      return fail(e instanceof DeadlineError ? `no TCP connection within ${formatMs(e.ms)}` : describe(e));
    }
    ok();
    const c = conn;
    const reader = new ReplyReader(c);
    const reply = (what: string, ms = t.reply) => withDeadline(signal, ms, what, (s) => reader.reply(s));
    const send = (text: string) => withDeadline(signal, t.reply, `sending ${text.split(' ')[0]}`, (s) => c.write(`${text}\r\n`, s));

    begin('banner');
    let r: SmtpReply;
    try {
      r = await reply('banner');
    } catch (e) {
      if (signal.aborted) throw e;
      return fail(e instanceof DeadlineError ? greetingDeadline(e.ms, reader.received) : describe(e));
    }
    out.banner = `${r.code} ${printable(r.lines.join(' / '), 200)}`;
    if (r.code !== 220) {
      return fail(r.code >= 500 ? `the server refuses the session: ${firstLine(r)}` : `expected 220, got ${firstLine(r)}`);
    }
    ok(firstLine(r));

    begin('ehlo');
    try {
      await send(`EHLO ${options.heloName}`);
      r = await reply('EHLO');
    } catch (e) {
      if (signal.aborted) throw e;
      return fail(describe(e));
    }
    if (r.code !== 250) return fail(`EHLO refused: ${firstLine(r)}`);
    out.ehloKeywords = ehloKeywords(r);
    out.starttlsOffered = out.ehloKeywords.includes('STARTTLS');
    ok(firstLine(r));

    begin('starttls');
    if (!out.starttlsOffered) return fail('STARTTLS is not offered in the EHLO reply');
    try {
      await send('STARTTLS');
      r = await reply('STARTTLS');
    } catch (e) {
      if (signal.aborted) throw e;
      return fail(describe(e));
    }
    if (r.code !== 220) return fail(`STARTTLS refused: ${firstLine(r)}`);
    if (reader.buffered > 0) {
      return fail(`the server sent ${reader.buffered} octets after its 220 reply to STARTTLS, before the TLS handshake (a command-injection risk, CVE-2011-0411)`);
    }
    ok(firstLine(r));

    begin('tls');
    let hs: TlsHandshake;
    try {
      hs = await withDeadline(signal, t.tls, 'TLS handshake', (s) => c.startTls(servername, s, options.keyType ? { keyType: options.keyType } : undefined));
    } catch (e) {
      if (signal.aborted) throw e;
      return fail(e instanceof DeadlineError ? `the TLS handshake did not complete within ${formatMs(e.ms)}` : `TLS handshake failed: ${describe(e)}`);
    }
    out.tls = { protocol: hs.protocol, cipher: hs.cipher };
    out.chain = hs.chain;
    ok([hs.protocol, hs.cipher].filter(Boolean).join(' '));

    // QUIT politely; a server that does not answer it costs at most a short wait and is no failure.
    begin('quit');
    try {
      await send('QUIT');
      r = await reply('QUIT', Math.min(t.reply, 2000));
      ok(firstLine(r));
    } catch (e) {
      if (signal.aborted) throw e;
      out.steps.push({ step: 'quit', ok: false, ms: Date.now() - stepStart, detail: describe(e) });
    }
    return out;
  } finally {
    conn?.close();
  }
}
