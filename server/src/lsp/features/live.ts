import {
  CancellationToken,
  ClientCapabilities,
  CodeLens,
  CodeLensParams,
  ErrorCodes,
  LSPErrorCodes,
  ExecuteCommandParams,
  MessageType,
  ShowMessageNotification,
  ResponseError,
  WorkDoneProgressReporter,
  WorkDoneProgressServerReporter,
} from 'vscode-languageserver/node';
import { getZoneLanguageService, nameKey, ParsedZone, SeverityOverrides, TYPE_TLSA, ZoneDiagnostic, ZoneRecord } from '../../core';
import { checkLive, liveDiagnostics, LiveReport, LIVE_SOURCE, liveText, LiveZone } from '../../live';
import { VersionAnalysis } from '../documents';
import { createNodeLiveIO, parseResolver } from '../../live/node';
import { ServerContext, ServerFeature } from '../context';
import { toRange } from '../convert';

const core = getZoneLanguageService();

export { liveCodeActions } from './liveFixes';

/**
 * The live check from the editor (server/src/live): `workspace/executeCommand` LIVE_COMMAND
 * with `[uri, target?, options?]` checks the deployed MX hosts of the zone's domain (its origin;
 * or `target`, a domain or mail host), with work-done progress and cancellation; the report's
 * `dane-live` diagnostics are published on the records concerned until the text changes; the
 * answer is the text report (as `dane-zone live` prints it). Nothing runs by itself: only this
 * command, which the code lenses on the MX RRset and on each `_25._tcp` TLSA RRset offer. It
 * talks to the network, so it is refused in an untrusted workspace.
 */

export const LIVE_COMMAND = 'daneZone.checkLive';
export const LIVE_LENS_TITLE = 'Check deployed MX';
export const UNTRUSTED_MESSAGE = 'DANE Zone: the live check does not run in an untrusted workspace (it queries DNS resolvers and connects to mail servers). Trust the workspace to use it.';

/** More lenses than this in one zone help nobody. */
const MAX_LENSES = 200;

export interface LiveCommandOptions {
  /** SMTP port and TLSA port label (default 25). */
  port?: number;
  /** Overall deadline in milliseconds (default: the check's own, 120 s). */
  timeoutMs?: number;
}

const DOMAIN = /^[A-Za-z0-9_.-]+\.?$/;

function fail(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, message);
}

function readOptions(raw: unknown): LiveCommandOptions {
  const out: LiveCommandOptions = {};
  if (raw === null || typeof raw !== 'object') return out;
  const r = raw as Record<string, unknown>;
  if (typeof r.port === 'number' && Number.isInteger(r.port) && r.port >= 1 && r.port <= 65535) out.port = r.port;
  if (typeof r.timeoutMs === 'number' && Number.isFinite(r.timeoutMs) && r.timeoutMs > 0) out.timeoutMs = Math.min(r.timeoutMs, 600_000);
  return out;
}

/** The user's severity overrides on the live codes (they are not in the rules table: their own severity is the default). */
function liveSeverities(diags: ZoneDiagnostic[], overrides: SeverityOverrides): ZoneDiagnostic[] {
  const out: ZoneDiagnostic[] = [];
  for (const d of diags) {
    const o = overrides[d.code];
    if (o === 'off') continue;
    out.push(o ? { ...d, severity: o } : d);
  }
  return out;
}

/** The progress to report on: the client's (workDoneToken), else one the server creates when the client can show it. */
async function progressFor(ctx: ServerContext, params: ExecuteCommandParams, workDone: WorkDoneProgressReporter | undefined): Promise<{ reporter?: WorkDoneProgressReporter; token?: CancellationToken }> {
  // vscode-languageserver takes the client's workDoneToken out of params (attachWorkDone) and
  // hands a reporter on it, or a null reporter when there was none: the real one holds the token.
  const clientToken = params.workDoneToken ?? (workDone as unknown as { _token?: unknown } | undefined)?._token;
  if (clientToken !== undefined && workDone) return { reporter: workDone };
  if (ctx.client.window?.workDoneProgress !== true) return {};
  try {
    const r: WorkDoneProgressServerReporter = await ctx.connection.window.createWorkDoneProgress();
    return { reporter: r, token: r.token };
  } catch {
    return {};
  }
}

export async function runLiveCommand(ctx: ServerContext, params: ExecuteCommandParams, token: CancellationToken | undefined, workDone?: WorkDoneProgressReporter): Promise<string> {
  const [uri, rawTarget, rawOptions] = Array.isArray(params.arguments) ? params.arguments : [];
  if (!ctx.trusted) throw new ResponseError(ErrorCodes.InvalidRequest, UNTRUSTED_MESSAGE);
  if (typeof uri !== 'string') throw fail(`${LIVE_COMMAND}: give the zone file's URI as the first argument`);
  const state = ctx.documents.get(uri);
  const a = ctx.analysisOf(uri);
  if (!state || !a) throw fail(`${LIVE_COMMAND}: ${uri} is not an open zone file (or too large to analyse)`);
  const parsed = a.parsed;
  let target = typeof rawTarget === 'string' && rawTarget.trim() !== '' ? rawTarget.trim() : parsed.zoneOrigin;
  if (!target || target === '.') throw fail('DANE Zone: this zone file has no origin ($ORIGIN or SOA): give the domain to check');
  if (!DOMAIN.test(target)) throw fail(`DANE Zone: \`${target}\` is not a domain name`);
  if (!target.endsWith('.')) target = `${target}.`;
  const options = readOptions(rawOptions);
  const settings = await ctx.settingsOf(uri);
  const resolver = settings.live.resolver ? parseResolver(settings.live.resolver) : undefined;

  const controller = new AbortController();
  const { reporter, token: progressToken } = await progressFor(ctx, params, workDone);
  const cancel = () => controller.abort(new Error('cancelled'));
  const subs = [token?.onCancellationRequested(cancel), progressToken?.onCancellationRequested(cancel)];
  const shown = target.replace(/\.$/, '');
  // The previous run's squiggles are stale from now on.
  ctx.setLiveDiagnostics(uri, a.version, []);
  reporter?.begin(`DANE Zone: checking the deployed MX of ${shown}`, undefined, `asking ${settings.live.resolver ?? 'the system resolver'} for the MX records of ${shown}`, true);
  let last = '';
  const progress = (message: string): void => {
    if (message === last) return;
    last = message;
    reporter?.report(message);
  };
  try {
    const zone: LiveZone = { records: parsed.records, zoneOrigin: parsed.zoneOrigin };
    const report = await checkLive(shown, createNodeLiveIO({ resolvers: resolver ? [resolver] : undefined }), {
      port: options.port,
      zone,
      signal: controller.signal,
      progress,
      ...(options.timeoutMs ? { timeouts: { overall: options.timeoutMs } } : {}),
    });
    if (controller.signal.aborted) throw new ResponseError(LSPErrorCodes.RequestCancelled, `DANE Zone: the live check of ${shown} was cancelled`);
    if (!report.aborted) {
      const diags = liveSeverities(liveDiagnostics(report, zone), settings.severity);
      ctx.setLiveDiagnostics(uri, a.version, diags);
    }
    const trouble = couldNotCheck(report, settings.live.resolver);
    // A notification (no actions to choose from): every client shows it; not only in the report.
    if (trouble) void ctx.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: trouble });
    return liveText(report);
  } finally {
    for (const s of subs) s?.dispose();
    reporter?.done();
  }
}

/**
 * For a check that could not be done (exit 2): the reasons in plain words, once each, for a
 * message the user sees (not only in the Output panel), with what to change.
 */
export function couldNotCheck(report: LiveReport, resolverSetting: string | undefined): string | undefined {
  if (report.outcome !== 'error') return undefined;
  const reasons = [...new Set(report.findings.filter((f) => f.level === 'error').map((f) => f.message))];
  if (reasons.length === 0) return undefined;
  const dns = report.findings.some((f) => f.level === 'error' && /lookup .* failed/.test(f.message));
  const hint = dns
    ? ` The resolver asked was ${report.resolver ?? 'the system resolver'}${resolverSetting ? ' (daneZone.live.resolver)' : ''}: set daneZone.live.resolver to a validating resolver this machine can reach.`
    : '';
  const shown = reasons.slice(0, 3).join('; ') + (reasons.length > 3 ? `; and ${reasons.length - 3} more (see the Output panel)` : '');
  return `DANE Zone: could not check the deployed MX of ${report.target}: ${shown}.${hint}`;
}

/** The records that get a lens: the first MX record at the zone's apex, and the first record of each `_25._tcp` TLSA RRset. */
export function liveLensRecords(parsed: ParsedZone): { record: ZoneRecord; host?: string; port?: number }[] {
  const out: { record: ZoneRecord; host?: string; port?: number }[] = [];
  const apex = parsed.zoneOrigin ? nameKey(parsed.zoneOrigin) : undefined;
  let mxDone = false;
  const seen = new Set<string>();
  for (const r of parsed.records) {
    if (out.length >= MAX_LENSES) break;
    if (r.includeFile !== undefined || !r.owner) continue;
    if (r.typeCode === 15 && !mxDone && (apex === undefined || r.ownerKey === apex)) {
      mxDone = true;
      out.push({ record: r });
    } else if (r.typeCode === TYPE_TLSA && !seen.has(r.ownerKey)) {
      seen.add(r.ownerKey);
      const parts = core.tlsaOwnerParts(r.owner);
      if (!parts || parts.protocol !== 'tcp' || parts.port !== 25 || parts.base === '.') continue;
      out.push({ record: r, host: parts.base.replace(/\.$/, ''), port: parts.port });
    }
  }
  return out.sort((x, y) => x.record.start - y.record.start);
}

export const liveFeature: ServerFeature = {
  name: 'live',
  capabilities: () => ({
    executeCommandProvider: { commands: [LIVE_COMMAND] },
    codeLensProvider: { resolveProvider: false },
  }),
  register(ctx) {
    // Not wrapped in ctx.guard: a refusal or a bad argument is answered as an error the client shows.
    ctx.connection.onExecuteCommand(async (params, token, workDone) => {
      if (params?.command !== LIVE_COMMAND) return null;
      try {
        return await runLiveCommand(ctx, params, token, workDone);
      } catch (e) {
        if (e instanceof ResponseError) throw e;
        ctx.log.error(`${LIVE_COMMAND} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
        throw new ResponseError(ErrorCodes.InternalError, `DANE Zone: the live check failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    });
    ctx.connection.onCodeLens(
      ctx.guard<CodeLensParams, CodeLens[]>('codeLens', [], (params) => {
        // The command is refused in an untrusted workspace: no lens offering it then.
        if (!ctx.trusted) return [];
        const uri = params?.textDocument?.uri;
        if (typeof uri !== 'string') return [];
        const a = ctx.analysisOf(uri);
        if (!a) return [];
        return liveLensRecords(a.parsed).map(({ record, host, port }) => ({
          range: toRange(a.lines, { start: record.start, end: record.start }),
          command: {
            title: host ? `${LIVE_LENS_TITLE} (${host})` : LIVE_LENS_TITLE,
            command: LIVE_COMMAND,
            arguments: host ? [uri, host, { port }] : [uri],
          },
        }));
      }),
    );
  },
};
