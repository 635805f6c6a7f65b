/**
 * SMTP transport for the live check in Node: a TCP connection (node:net, IPv4 or IPv6) that
 * can be upgraded in place to TLS (node:tls) after STARTTLS.
 *
 * The certificate chain: Node's `getPeerCertificate(true)` completes the chain from the local
 * trust store, which would show certificates the server never sent. The TLS context here has
 * an empty `ca` list (so no store at all) and verification off (the checker matches TLSA
 * itself), so the chain holds only what the server sent, leaf first, each followed by its
 * issuer. (Node builds it by issuance; a certificate the server sent that issues nothing on
 * the leaf's path is not visible through its API.)
 */
import * as net from 'node:net';
import * as tls from 'node:tls';
import { KeyType, SmtpConnection, TlsHandshake } from '../types';

/**
 * Offering one family of signature algorithms (and, for TLS 1.2, of cipher suites) makes a
 * server with an RSA and an ECDSA certificate present the one that family can verify, as
 * `danecheck --sigalgs` and `posttls-finger` do.
 */
const KEY_TYPE_OFFER: Record<KeyType, { sigalgs: string; ciphers: string }> = {
  rsa: {
    sigalgs: 'rsa_pss_rsae_sha256:rsa_pss_rsae_sha384:rsa_pss_rsae_sha512:rsa_pss_pss_sha256:rsa_pss_pss_sha384:rsa_pss_pss_sha512:rsa_pkcs1_sha256:rsa_pkcs1_sha384:rsa_pkcs1_sha512',
    ciphers: 'aRSA',
  },
  ecdsa: {
    sigalgs: 'ecdsa_secp256r1_sha256:ecdsa_secp384r1_sha384:ecdsa_secp521r1_sha512',
    ciphers: 'aECDSA',
  },
};

/** Bytes buffered from the server before they are read (the SMTP reader stops long before this). */
const MAX_QUEUED = 256 * 1024;

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}

function describeNetError(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ECONNREFUSED': return 'connection refused';
    case 'ECONNRESET': return 'connection reset by the server';
    case 'EHOSTUNREACH': return 'host unreachable';
    case 'ENETUNREACH': return 'network unreachable (no route: is this address family configured here?)';
    case 'ETIMEDOUT': return 'connection timed out';
    case 'EADDRNOTAVAIL': return 'address not available';
    case 'EPIPE': return 'the server closed the connection';
    default: return e.message;
  }
}

type PeerCert = tls.DetailedPeerCertificate;

/** OpenSSL's handshake errors in words (`…:ssl3_read_bytes:sslv3 alert handshake failure:…` → `the server sent the TLS alert "handshake failure"`). */
export function plainTlsError(message: string): string {
  if (/^Client network socket disconnected before secure TLS connection was established$/.test(message)) return 'the server closed the connection during the handshake';
  const alert = /(?:sslv3|tlsv1(?:\.\d)?|tls) alert ([a-z ]+?)(?::|$)/i.exec(message);
  if (alert) return `the server sent the TLS alert "${alert[1]}"`;
  const reason = /:error:[0-9A-F]+:SSL routines:[^:]*:([^:]+):/.exec(message);
  return reason ? `${reason[1]} (OpenSSL)` : message.trim();
}

/** The chain as the server sent it (see the module comment), DER, leaf first, without repeats. */
export function sentChain(socket: tls.TLSSocket): Uint8Array[] {
  const out: Uint8Array[] = [];
  const seen = new Set<string>();
  let c: PeerCert | undefined = socket.getPeerCertificate(true) as PeerCert;
  while (c && c.raw && !seen.has(c.fingerprint256)) {
    seen.add(c.fingerprint256);
    out.push(new Uint8Array(c.raw));
    const next: PeerCert | undefined = c.issuerCertificate;
    if (!next || next === c) break;
    c = next;
  }
  return out;
}

class NodeSmtpConnection implements SmtpConnection {
  private socket: net.Socket;
  private queue: Buffer[] = [];
  private queued = 0;
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private closed = false;

  constructor(socket: net.Socket) {
    this.socket = socket;
    this.attach(socket);
  }

  private readonly onData = (b: Buffer): void => {
    this.queue.push(b);
    this.queued += b.length;
    // A flooding server: stop reading from the socket until the reader catches up.
    if (this.queued > MAX_QUEUED) this.socket.pause();
    this.notify();
  };
  private readonly onEnd = (): void => { this.ended = true; this.notify(); };
  private readonly onError = (e: Error): void => { this.failure = new Error(describeNetError(e as NodeJS.ErrnoException)); this.notify(); };

  private attach(s: net.Socket): void {
    s.on('data', this.onData);
    s.on('end', this.onEnd);
    s.on('close', this.onEnd);
    s.on('error', this.onError);
  }

  private detach(s: net.Socket): void {
    s.off('data', this.onData);
    s.off('end', this.onEnd);
    s.off('close', this.onEnd);
    s.off('error', this.onError);
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  async read(signal: AbortSignal): Promise<Uint8Array | null> {
    for (;;) {
      if (signal.aborted) throw abortError(signal);
      const b = this.queue.shift();
      if (b) {
        this.queued -= b.length;
        if (this.queued <= MAX_QUEUED && this.socket.isPaused()) this.socket.resume();
        return new Uint8Array(b.buffer, b.byteOffset, b.length);
      }
      if (this.failure) throw this.failure;
      if (this.ended) return null;
      await new Promise<void>((resolve) => {
        const onAbort = (): void => { this.wake = undefined; resolve(); };
        signal.addEventListener('abort', onAbort, { once: true });
        this.wake = () => { signal.removeEventListener('abort', onAbort); resolve(); };
      });
    }
  }

  write(text: string, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(abortError(signal));
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.socket.write(text, 'latin1', (e) => (e ? reject(new Error(describeNetError(e as NodeJS.ErrnoException))) : resolve()));
    });
  }

  startTls(servername: string, signal: AbortSignal, offer?: { keyType?: KeyType }): Promise<TlsHandshake> {
    if (signal.aborted) return Promise.reject(abortError(signal));
    if (this.queue.length > 0) {
      return Promise.reject(new Error(`the server sent ${this.queued} octets after its 220 reply to STARTTLS, before the handshake`));
    }
    const plain = this.socket;
    this.detach(plain);
    plain.pause();
    return new Promise((resolve, reject) => {
      const options: tls.ConnectionOptions = {
        socket: plain,
        // No trust store at all: the chain stays as sent; verification is DANE's job, not PKIX's.
        ca: [],
        rejectUnauthorized: false,
        checkServerIdentity: () => undefined,
        minVersion: 'TLSv1',
        ...(offer?.keyType ? KEY_TYPE_OFFER[offer.keyType] : {}),
      };
      if (!net.isIP(servername)) options.servername = servername;
      const socket = tls.connect(options);
      let done = false;
      const end = (err?: Error): void => {
        if (done) return;
        done = true;
        signal.removeEventListener('abort', onAbort);
        socket.off('error', onHandshakeError);
        socket.off('close', onClose);
        if (err) {
          socket.destroy();
          reject(err);
          return;
        }
        this.socket = socket;
        this.attach(socket);
        const cipher = socket.getCipher();
        resolve({ protocol: socket.getProtocol() ?? undefined, cipher: cipher?.standardName ?? cipher?.name, chain: sentChain(socket) });
      };
      const onAbort = (): void => end(abortError(signal));
      const onHandshakeError = (e: Error): void => end(new Error(plainTlsError(e.message)));
      const onClose = (): void => end(new Error('the server closed the connection during the handshake'));
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('secureConnect', () => end());
      socket.on('error', onHandshakeError);
      socket.once('close', onClose);
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
  }
}

/** A `LiveIO.connect`: a TCP connection, refused or timed out with a short reason. */
export function connectSmtp(address: string, port: number, signal: AbortSignal): Promise<SmtpConnection> {
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: address, port, family: net.isIPv6(address) ? 6 : 4 });
    socket.setNoDelay(true);
    const cleanup = (): void => {
      signal.removeEventListener('abort', onAbort);
      socket.off('error', onError);
    };
    const onAbort = (): void => { cleanup(); socket.destroy(); reject(abortError(signal)); };
    const onError = (e: Error): void => { cleanup(); socket.destroy(); reject(new Error(describeNetError(e as NodeJS.ErrnoException))); };
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('error', onError);
    socket.once('connect', () => {
      cleanup();
      resolve(new NodeSmtpConnection(socket));
    });
  });
}
