import * as path from 'node:path';
import { AnalysisOptions, getZoneLanguageService, parseName } from '../core';
import { createNodeIO, packageInfo, readTextFile } from '../node/io';
import { nodeVerifier } from '../node/verifier';
import { OptionSpec, parseCommandArgs } from './args';
import { parseTlsaArgs, runTlsa, TLSA_USAGE } from './tlsa';
import { ChunkWriter, FileReport, FORMATS, OutputFormat, writeJson, writeSarif, writeText } from './format';

const core = getZoneLanguageService();

/**
 * The `dane-zone` command line. `run(argv)` returns the exit code (undefined while the
 * language server runs: it exits by itself on the client's `exit`).
 *
 *   exit 0: no error-severity diagnostic · 1: at least one · 2: usage or I/O failure
 */

export const EXIT_OK = 0;
export const EXIT_ERRORS = 1;
export const EXIT_FAILURE = 2;

/** Largest zone file `check` reads (V8 strings stop a little above 512 Mi characters). */
const MAX_ZONE_BYTES = 512 * 1024 * 1024;
const DEFAULT_INFO_URI = 'https://www.npmjs.com/package/dane-zone';

const USAGE = `Usage:
  dane-zone check [--format text|json|sarif] [--origin NAME] [--dnssec auto|signed|unsigned|inline] [--tlsa-max-ttl S] [--now TIME] [--expiry-warning-days N] [--git-history] [--check-names[=warn|error]] FILE...
  dane-zone lsp --stdio
  dane-zone tlsa --cert FILE [--usage N --selector N --mtype N] [--port 25] [--proto tcp] [--next FILE] [--ca] HOST
  dane-zone live DOMAIN|HOST [--resolver IP[:PORT]] [--port 25] [--zone FILE] [--format text|json]
  dane-zone --help | --version

Commands:
  check   Check DNS zone files (RFC 1035 master files) and their DANE/TLSA records.
          Exit status: 0 no errors, 1 errors found, 2 usage or I/O failure.
          --format text   file:line:col: severity code: message (default)
          --format json   [{"file", "diagnostics": [{"code", "severity", "message", "range"}]}]
          --format sarif  SARIF 2.1.0 (code scanning)
          --origin NAME   the zone's origin, as for named-checkzone ZONE (relative names and @)
          --dnssec STATE  whether the zone is signed when the file does not say (\`; dane-zone dnssec=\`)
          --tlsa-max-ttl S  TLSA TTLs above S seconds get tlsa-high-ttl (default 3600)
          --now TIME      check as at TIME (RFC 3339, e.g. 2023-05-11T12:00:00Z): RRSIG validity,
                          certificate expiry, every time-dependent check
          --expiry-warning-days N  rrsig-expiring for RRSIGs that expire within N days (default 7)
          --git-history   when a FILE is in git, read when its TLSA records were first committed:
                          tlsa-rotation-too-early for linked certificates deployed too early
          --check-names[=warn|error]  BIND's host-name rules (check-names) as warnings (default) or errors
          Signed zones (DNSKEY at the apex) are validated: every RRSIG verified, NSEC/NSEC3
          chains, DS/CDS digests, ZONEMD.
          FILE may be - for standard input.
          Certificates linked with \`; dane-zone cert=PATH [next=PATH]\` are checked against their records.
  lsp     Run the language server. Transport: --stdio (or --node-ipc, --socket=PORT, --pipe=NAME).
  tlsa    Print TLSA records for HOST from a certificate, chain, key or CSR, offline:
          _25._tcp.HOST. IN TLSA 3 1 1 <hex>. --ca: the issuing CA's 2 1 1; --next FILE: the next key's too.
          Exit status: 0 printed, 2 usage error or unusable file. \`dane-zone tlsa --help\` for all options.
  live    Check the deployed MX hosts over the network: DNSSEC status of the TLSA records, drift
          from the zone file (--zone), the certificate each address presents over STARTTLS.
          Exit status: 0 all good, 1 a failure found, 2 could not check. \`dane-zone live --help\` for all options.
`;

export interface CliStreams {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const processStreams: CliStreams = {
  stdout: (s) => { process.stdout.write(s); },
  stderr: (s) => { process.stderr.write(s); },
};

class UsageError extends Error {}

interface CheckArgs {
  format: OutputFormat;
  origin?: string;
  /** Whether the zone is signed when its file does not say (the editor's daneZone.dnssec). */
  dnssec?: 'signed' | 'unsigned' | 'inline';
  tlsaMaxTtl?: number;
  /** --now: the time every time-dependent check uses. */
  now?: Date;
  expiryWarningDays?: number;
  /** --git-history: timed rotation from the files' git history (lsp/gitHistory.ts). */
  gitHistory?: boolean;
  /** BIND's check-names (the editor's daneZone.checkNames). */
  checkNames?: 'off' | 'warn' | 'error';
  files: string[];
}

const CHECK_OPTIONS: OptionSpec = {
  format: { type: 'string', short: 'f' },
  origin: { type: 'string', short: 'o' },
  dnssec: { type: 'string' },
  'tlsa-max-ttl': { type: 'string' },
  now: { type: 'string' },
  'expiry-warning-days': { type: 'string' },
  'git-history': { type: 'boolean' },
  'check-names': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

/** `--check-names` alone means `--check-names=warn` (parseArgs has no optional values); `--check-names error` also works. */
function checkNamesShorthand(args: string[]): string[] {
  return args.map((a, i) => (a === '--check-names' && !['off', 'warn', 'error'].includes(args[i + 1]) ? '--check-names=warn' : a));
}

function parseCheckArgs(rawArgs: string[]): CheckArgs | 'help' {
  const args = checkNamesShorthand(rawArgs);
  const parsed = parseCommandArgs(args, CHECK_OPTIONS);
  if ('error' in parsed) {
    if (args.includes('-h') || args.includes('--help')) return 'help';
    throw new UsageError(parsed.error);
  }
  const o = parsed.values as Record<string, string | undefined> & { help?: boolean; 'git-history'?: boolean };
  if (o.help) return 'help';
  const out: CheckArgs = { format: 'text', files: parsed.positionals };
  if (o['git-history']) out.gitHistory = true;
  if (o.format !== undefined) {
    const f = o.format;
    if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`unknown format \`${f}\`: use text, json or sarif`);
    out.format = f as OutputFormat;
  }
  if (o.origin !== undefined) {
    const raw = o.origin;
    const r = parseName(raw, '.');
    if (r.name === undefined) throw new UsageError(`--origin ${raw}: ${r.error}`);
    out.origin = r.name;
  }
  if (o.dnssec !== undefined) {
    const v = o.dnssec;
    if (v !== 'signed' && v !== 'unsigned' && v !== 'inline' && v !== 'auto') throw new UsageError(`--dnssec ${v}: use auto, signed, unsigned or inline`);
    out.dnssec = v === 'auto' ? undefined : v;
  }
  if (o['tlsa-max-ttl'] !== undefined) {
    const v = o['tlsa-max-ttl'];
    if (!/^\d{1,10}$/.test(v)) throw new UsageError(`--tlsa-max-ttl ${v}: give a number of seconds`);
    out.tlsaMaxTtl = Number(v);
  }
  if (o.now !== undefined) {
    const v = o.now;
    const t = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(v) ? Date.parse(v) : NaN;
    if (Number.isNaN(t)) throw new UsageError(`--now ${v}: give an RFC 3339 time such as 2023-05-11T12:00:00Z`);
    out.now = new Date(t);
  }
  if (o['expiry-warning-days'] !== undefined) {
    const v = o['expiry-warning-days'];
    if (!/^\d{1,5}$/.test(v)) throw new UsageError(`--expiry-warning-days ${v}: give a number of days`);
    out.expiryWarningDays = Number(v);
  }
  if (o['check-names'] !== undefined) {
    const v = o['check-names'];
    if (v !== 'off' && v !== 'warn' && v !== 'error') throw new UsageError(`--check-names ${v}: use off, warn or error`);
    out.checkNames = v;
  }
  if (out.files.length === 0) throw new UsageError('no zone file given');
  return out;
}

function readInput(file: string): string {
  if (file !== '-') return readTextFile(file, MAX_ZONE_BYTES);
  // Standard input: read whatever is there, with the same size limit.
  const fs = require('node:fs') as typeof import('node:fs');
  const chunks: Buffer[] = [];
  let total = 0;
  const buf = Buffer.allocUnsafe(1 << 16);
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(0, buf, 0, buf.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue;
      if (code === 'EOF') break;
      throw new Error(`standard input: ${(e as Error).message}`);
    }
    if (n === 0) break;
    total += n;
    if (total > MAX_ZONE_BYTES) throw new Error('standard input: too large');
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  const all = Buffer.concat(chunks);
  const start = all.length >= 3 && all[0] === 0xef && all[1] === 0xbb && all[2] === 0xbf ? 3 : 0;
  return all.toString('utf8', start);
}

/** `check`: the analysis pipeline per file; synchronous, unless an asynchronous stage applies (linked certificates, DNSSEC validation). */
function check(args: CheckArgs, streams: CliStreams): number | Promise<number> {
  const now = args.now;
  const io = { ...createNodeIO({ maxBytes: MAX_ZONE_BYTES, now: now ? () => now : undefined }), verifier: nodeVerifier };
  const rrsigExpiryWindowSeconds = args.expiryWarningDays === undefined ? undefined : args.expiryWarningDays * 86400;
  const reports: FileReport[] = [];
  let failed = false;
  for (const file of args.files) {
    let text: string;
    try {
      text = readInput(file);
    } catch (e) {
      streams.stderr(`dane-zone: cannot read ${(e as Error).message}\n`);
      failed = true;
      continue;
    }
    try {
      const options: AnalysisOptions = { origin: args.origin, fileName: file === '-' ? undefined : file, io, dnssec: args.dnssec, tlsaMaxTtl: args.tlsaMaxTtl, rrsigExpiryWindowSeconds, checkNames: args.checkNames };
      reports.push({ file, result: core.checkText(text, options), options });
    } catch (e) {
      streams.stderr(`dane-zone: ${file}: internal error: ${(e as Error)?.stack ?? e}\n`);
      failed = true;
    }
  }
  const linked = reports.filter((r) => core.hasAsyncWork(r.result, r.options));
  if (linked.length === 0) return writeReports(args, reports, failed, streams);
  return (async () => {
    // Loaded only here, like the server: git runs only when asked.
    const history = args.gitHistory ? new (require('../lsp/gitHistory') as typeof import('../lsp/gitHistory')).GitHistory((m) => streams.stderr(`dane-zone: ${m}\n`)) : undefined;
    for (const r of linked) {
      try {
        const published = history && r.file !== '-' ? await history.get(path.resolve(r.file)) : undefined;
        if (published) r.options.certificates = { ...r.options.certificates, published };
        await core.addAsyncStages(r.result, r.options);
      } catch (e) {
        streams.stderr(`dane-zone: ${r.file}: internal error: ${(e as Error)?.stack ?? e}\n`);
        failed = true;
      }
    }
    return writeReports(args, reports, failed, streams);
  })();
}

function writeReports(args: CheckArgs, reports: FileReport[], failed: boolean, streams: CliStreams): number {
  const out = new ChunkWriter(streams.stdout);
  if (args.format === 'json') writeJson(reports, out);
  else if (args.format === 'sarif') {
    const pkg = packageInfo();
    writeSarif(reports, { name: 'dane-zone', version: pkg.version, informationUri: pkg.homepage ?? DEFAULT_INFO_URI }, out);
  } else writeText(reports, out);
  out.flush();
  if (failed) return EXIT_FAILURE;
  return reports.some((r) => r.result.diagnostics.some((d) => d.severity === 'error')) ? EXIT_ERRORS : EXIT_OK;
}

/** An exit code now, or undefined and process.exitCode once an asynchronous command ends. */
function settle(code: number | Promise<number>, streams: CliStreams): number | undefined {
  if (typeof code === 'number') return code;
  code.then(
    (c) => { process.exitCode = c; },
    (e) => { streams.stderr(`dane-zone: internal error: ${(e as Error)?.stack ?? e}\n`); process.exitCode = EXIT_FAILURE; },
  );
  return undefined;
}

const TRANSPORT = /^--(stdio|node-ipc|socket(=\d+)?|pipe(=.+)?|clientProcessId(=\d+)?)$/;

function lsp(args: string[], streams: CliStreams): number | undefined {
  if (args.includes('--help') || args.includes('-h')) {
    streams.stdout(USAGE);
    return EXIT_OK;
  }
  const bad = args.find((a, i) => !TRANSPORT.test(a) && !/^\d+$/.test(a) && !(i > 0 && /^--(socket|pipe|clientProcessId)$/.test(args[i - 1])));
  if (bad) throw new UsageError(`lsp: unknown argument ${bad}`);
  if (!args.some((a) => /^--(stdio|node-ipc|socket|pipe)/.test(a))) {
    throw new UsageError('lsp: choose a transport: --stdio (or --node-ipc, --socket=PORT, --pipe=NAME)');
  }
  // Loaded only here: `check` does not pay for the protocol libraries.
  const { startNodeServer } = require('../lsp/nodeServer') as typeof import('../lsp/nodeServer');
  startNodeServer();
  return undefined;
}

/** Runs the command line; returns the exit code, or undefined when a long-running server or an asynchronous command (`live`, `tlsa`, `check` of a zone with linked certificates) was started (it sets process.exitCode). */
export function run(argv: readonly string[], streams: CliStreams = processStreams): number | undefined {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case '--help':
      case '-h':
      case 'help':
        streams.stdout(USAGE);
        return EXIT_OK;
      case '--version':
      case '-V':
      case '-v':
        streams.stdout(`${packageInfo().version}\n`);
        return EXIT_OK;
      case 'check': {
        const args = parseCheckArgs(rest);
        if (args === 'help') { streams.stdout(USAGE); return EXIT_OK; }
        return settle(check(args, streams), streams);
      }
      case 'tlsa': {
        const args = parseTlsaArgs(rest);
        if (args === 'help') { streams.stdout(TLSA_USAGE); return EXIT_OK; }
        if ('error' in args) throw new UsageError(args.error);
        return settle(runTlsa(args, createNodeIO(), streams), streams);
      }
      case 'lsp':
        return lsp(rest, streams);
      case 'live': {
        // Asynchronous (network): the exit code is set when the check ends. Loaded only here.
        const { runLive } = require('./live') as typeof import('./live');
        runLive(rest, streams).then(
          (code) => { process.exitCode = code; },
          (e) => { streams.stderr(`dane-zone: internal error: ${(e as Error)?.stack ?? e}\n`); process.exitCode = EXIT_FAILURE; },
        );
        return undefined;
      }
      case undefined:
        throw new UsageError('no command given');
      default:
        throw new UsageError(`unknown command \`${command}\``);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      streams.stderr(`dane-zone: ${e.message}\n\n${USAGE}`);
      return EXIT_FAILURE;
    }
    streams.stderr(`dane-zone: internal error: ${(e as Error)?.stack ?? e}\n`);
    return EXIT_FAILURE;
  }
}

/** Process entry: output errors on a closed pipe (`| head`) end quietly. */
export function main(argv: readonly string[] = process.argv.slice(2)): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  const code = run(argv);
  if (code !== undefined) process.exitCode = code;
}

if (require.main === module) main();
