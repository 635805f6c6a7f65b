import { fstatSync, readSync } from 'node:fs';
import { inspect, InspectOptions } from 'node:util';
import {
  AbstractMessageReader, Connection, createConnection, DataCallback, Disposable, Message, MessageReader, ProposedFeatures, StreamMessageWriter,
} from 'vscode-languageserver/node';
import { LAZY_OPEN_MIN, lazyDidOpen, warmLineCount } from './lazyOpen';

/** Bodies up to this length are given their buffer when their header arrives (a 54 MB didOpen is one copy). */
const PREALLOCATE = 256 * 1024 * 1024;
/** The rest of a body from this length on is read in bursts (below). */
const LARGE = 1024 * 1024;
/**
 * A burst reads while bytes keep coming: after an empty read it tries again at once for up to
 * BURST_SPIN_MS (the writer refills the socket within tens of microseconds; a nap asked for 0.1 ms
 * sleeps ~0.2 ms on this VM, in which the writer fills the socket's buffer and waits), then naps;
 * it ends after this many empty naps in a row...
 */
const BURST_IDLE = 20;
const BURST_SPIN_MS = 0.3;
const BURST_NAP_MS = 0.1;
/** ...or after this long, to let the event loop run. */
const BURST_MS = 250;

/**
 * Reads LSP messages (`Content-Length` framing, UTF-8 JSON bodies) from a byte stream, as
 * vscode-jsonrpc's StreamMessageReader does, for the server's `--stdio` transport; made for
 * large bodies (a 54 MB didOpen of a million-record zone):
 *   - the body is copied into one buffer of its announced length as its bytes arrive (no list
 *     of chunks re-sliced per read and joined at the end, no partial-message timer per chunk);
 *   - given the stream's file descriptor (a pipe or socket, not on Windows), the rest of a large
 *     body (1 MB or more) is read from it directly, synchronously, for as long as bytes keep
 *     coming (a burst: the stream's one event-loop turn per 64 KiB read made the 54 MB didOpen's
 *     transfer 2-3x slower);
 *   - a message is handed over as soon as it is complete, in order, in the same turn.
 * Errors are reported as StreamMessageReader reports them (onError), and reading goes on.
 */
export class StdioMessageReader extends AbstractMessageReader implements MessageReader {
  /** Bytes received that are not part of a body yet (a header being read). */
  private head: Buffer = Buffer.alloc(0);
  /** The body being filled, and how much of it is. */
  private body?: Buffer;
  private filled = 0;
  /** The pieces of a body longer than PREALLOCATE (not allocated before its bytes arrive), and its length. */
  private pieces?: Buffer[];
  private expect = 0;
  private callback?: DataCallback;
  /** Bytes read in bursts (for tests). */
  burstBytes = 0;

  /**
   * `fd`: the stream's descriptor, for bursts (its reads must not block: a pipe or socket libuv
   * reads). `lazyMin`: a didOpen body from this length on is handed over with its text decoded
   * when first read (lsp/lazyOpen.ts; undefined: never).
   */
  constructor(private readonly readable: NodeJS.ReadableStream, private readonly preallocate = PREALLOCATE, private readonly fd?: number, private readonly lazyMin?: number) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    this.callback = callback;
    const onData = (data: Buffer | string) => this.onData(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    const onError = (e: Error) => this.fireError(e);
    const onClose = () => this.fireClose();
    this.readable.on('data', onData);
    this.readable.on('error', onError);
    this.readable.on('close', onClose);
    return Disposable.create(() => {
      this.callback = undefined;
      this.readable.off('data', onData);
      this.readable.off('error', onError);
      this.readable.off('close', onClose);
    });
  }

  /** Feeds bytes (the stream's `data`; public for tests). */
  onData(data: Buffer): void {
    let at = 0;
    while (at < data.length) {
      if (this.pieces) {
        const n = Math.min(this.expect - this.filled, data.length - at);
        this.pieces.push(Buffer.from(data.subarray(at, at + n)));
        this.filled += n;
        at += n;
        if (this.filled === this.expect) this.join();
        continue;
      }
      if (this.body) {
        const n = Math.min(this.body.length - this.filled, data.length - at);
        data.copy(this.body, this.filled, at, at + n);
        this.filled += n;
        at += n;
        if (this.filled < this.body.length && this.body.length >= LARGE && this.fd !== undefined && (this.readable as { readableLength?: number }).readableLength === 0) this.burst();
        if (this.filled === this.body.length) this.deliver();
        continue;
      }
      // A header: up to the empty line (kept across chunks until it is complete).
      const bytes = this.head.length === 0 ? data.subarray(at) : Buffer.concat([this.head, data.subarray(at)]);
      const sep = bytes.indexOf('\r\n\r\n');
      if (sep < 0) {
        this.head = Buffer.from(bytes);
        return;
      }
      const consumed = sep + 4 - this.head.length; // bytes of `data` up to the body
      this.head = Buffer.alloc(0);
      at += consumed;
      const length = contentLength(bytes.toString('ascii', 0, sep));
      if (typeof length === 'string') {
        this.fireError(new Error(length));
        continue;
      }
      this.filled = 0;
      if (length > this.preallocate) {
        // (a header may announce more than will ever come: nothing that large is set aside before it does)
        this.pieces = [];
        this.expect = length;
        continue;
      }
      // (a body of 0 bytes is empty JSON: reported by deliver, as JSON.parse would)
      this.body = Buffer.allocUnsafe(length);
      if (length === 0) this.deliver();
    }
  }

  private join(): void {
    const pieces = this.pieces!;
    this.pieces = undefined;
    try {
      this.body = Buffer.concat(pieces, this.expect);
    } catch (e) {
      this.fireError(e);
      return;
    }
    this.deliver();
  }

  /**
   * Reads the rest of the body straight from the descriptor while bytes keep coming (the stream
   * has nothing buffered, so nothing read this way jumps ahead of it; only the body's own bytes
   * are read, the next message is left to the stream).
   */
  private burst(): void {
    const body = this.body!;
    const nap = new Int32Array(new SharedArrayBuffer(4));
    const until = performance.now() + BURST_MS;
    // (an empty read throws EAGAIN: without a stack trace that costs ~1 µs instead of ~10, and a
    // burst that spins makes hundreds of them; nothing else runs meanwhile, the burst is synchronous)
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      let emptySince = -1;
      for (let idle = 0; this.filled < body.length && idle < BURST_IDLE && performance.now() < until;) {
        let n: number;
        try {
          n = readSync(this.fd!, body, this.filled, body.length - this.filled, null);
        } catch (e) {
          // (nothing there yet; anything else, the stream meets and reports too)
          if ((e as NodeJS.ErrnoException).code !== 'EAGAIN' && (e as NodeJS.ErrnoException).code !== 'EWOULDBLOCK') return;
          const now = performance.now();
          if (emptySince < 0) emptySince = now;
          else if (now - emptySince >= BURST_SPIN_MS) {
            idle++;
            Atomics.wait(nap, 0, 0, BURST_NAP_MS);
          }
          continue;
        }
        if (n === 0) return; // (the end: the stream sees it too)
        idle = 0;
        emptySince = -1;
        this.filled += n;
        this.burstBytes += n;
      }
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
  }

  private deliver(): void {
    const body = this.body!;
    this.body = undefined;
    if (this.lazyMin !== undefined && body.length >= this.lazyMin) {
      const lazy = lazyDidOpen(body, (e) => this.fireError(e));
      if (lazy) {
        this.callback?.(lazy);
        return;
      }
    }
    let message: Message;
    try {
      // (UTF-8, also for an all-ASCII body: Latin-1 gives the same string, but as an external
      // string of the body's size, which made the parse after it pay ~0.1-0.2 s more in GC)
      message = JSON.parse(body.toString('utf8')) as Message;
    } catch (e) {
      this.fireError(e);
      return;
    }
    this.callback?.(message);
  }
}

/** The body length announced in a header block (its lines without the final empty line), or what is wrong with it. */
export function contentLength(header: string): number | string {
  let value: string | undefined;
  for (const line of header.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) return `Message header must separate key and value using ':'\n${line}`;
    if (line.slice(0, colon).trim().toLowerCase() === 'content-length') value = line.slice(colon + 1).trim();
  }
  if (value === undefined) return `Header must provide a Content-Length property.\n${header}`;
  const n = parseInt(value, 10);
  if (isNaN(n) || n < 0) return `Content-Length value must be a number. Got ${value}`;
  return n;
}

/** True when the command line asks for stdio: its first transport argument is `--stdio` (as createConnection reads it). */
export function wantsStdio(argv: readonly string[] = process.argv.slice(2)): boolean {
  for (const arg of argv) {
    if (arg === '--stdio') return true;
    if (arg === '--node-ipc' || arg.split('=')[0] === '--socket' || arg.split('=')[0] === '--pipe') return false;
  }
  return false;
}

/**
 * The `--stdio` connection with StdioMessageReader (undefined: another transport, left to
 * createConnection). What createConnection does itself for stdio is done here too: the process
 * ends when stdin does (exit code 0 after a shutdown request, else 1), and `console` writes go
 * to the client's log instead of stdout, which carries the protocol.
 */
export function stdioConnection(): { connection: Connection; shutdownReceived(): void } | undefined {
  if (!wantsStdio()) return undefined;
  let shutdown = false;
  const lazyMin = lazyOpenMin();
  const connection = createConnection(ProposedFeatures.all, new StdioMessageReader(process.stdin, undefined, burstDescriptor(), lazyMin), new StreamMessageWriter(process.stdout));
  if (lazyMin !== undefined) setImmediate(warmLineCount);
  const end = () => process.exit(shutdown ? 0 : 1);
  process.stdin.on('end', end);
  process.stdin.on('close', end);
  const text = (args: unknown[]) => args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' ');
  console.log = console.debug = (...args: unknown[]) => connection.console.log(text(args));
  console.info = (...args: unknown[]) => connection.console.info(text(args));
  console.warn = (...args: unknown[]) => connection.console.warn(text(args));
  console.error = (...args: unknown[]) => connection.console.error(text(args));
  console.dir = (arg: unknown, options?: InspectOptions) => connection.console.log(inspect(arg, options));
  console.trace = (...args: unknown[]) => connection.console.log(`Trace${args.length ? `: ${text(args)}` : ''}\n${new Error().stack?.replace(/(.+\n){2}/, '') ?? ''}`);
  return { connection, shutdownReceived: () => { shutdown = true; } };
}

/**
 * Stdin's descriptor when the reader may read it in bursts: a pipe or a socket (which libuv
 * reads without blocking: a read finds nothing rather than waits), not on Windows (overlapped
 * reads), not a file or a terminal. DANE_ZONE_STDIO_BURST=off: never.
 */
function burstDescriptor(): number | undefined {
  if (process.platform === 'win32' || process.env.DANE_ZONE_STDIO_BURST === 'off') return undefined;
  try {
    const stat = fstatSync(0);
    return stat.isFIFO() || stat.isSocket() ? 0 : undefined;
  } catch {
    return undefined;
  }
}

/** From which body length a didOpen's text is decoded when first read (lsp/lazyOpen.ts): DANE_ZONE_LAZY_OPEN=off: never; DANE_ZONE_LAZY_OPEN_MIN (bytes) for tests. */
function lazyOpenMin(): number | undefined {
  const env = process.env;
  if (env.DANE_ZONE_LAZY_OPEN === 'off') return undefined;
  const min = Number(env.DANE_ZONE_LAZY_OPEN_MIN);
  return env.DANE_ZONE_LAZY_OPEN_MIN && Number.isFinite(min) && min >= 0 ? min : LAZY_OPEN_MIN;
}
