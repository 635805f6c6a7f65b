import { Connection, DidChangeConfigurationParams } from 'vscode-languageserver/node';
import { Logger } from './context';
import { DaneZoneSettings, defaultSettings, SETTINGS_SECTION, sanitizeSettings } from './settings';

/**
 * Settings per document. Pull model (`workspace/configuration`, scoped to the document) when
 * the client supports it, cached until `workspace/didChangeConfiguration`; otherwise the
 * settings the client pushes in didChangeConfiguration (or initializationOptions.settings).
 */

const PULL_TIMEOUT_MS = 5_000;

/**
 * The service answering for each connection, and who wants to hear about changes. Features
 * only get a ServerContext, so they reach the settings through the connection:
 * settingsFor(ctx.connection, uri) and onSettingsChanged(ctx.connection, …). The server
 * replaces its service once the client's capabilities are known; the newest one answers,
 * and listeners survive the replacement.
 */
const services = new WeakMap<Connection, ConfigurationService>();
const listeners = new WeakMap<Connection, Set<() => void>>();

/** The settings for `uri` as the server's ConfigurationService sees them (the defaults without one). */
export function settingsFor(connection: Connection, uri: string): Promise<DaneZoneSettings> {
  return services.get(connection)?.get(uri) ?? Promise.resolve(defaultSettings());
}

/** Calls `listener` after each workspace/didChangeConfiguration (cached settings already dropped). */
export function onSettingsChanged(connection: Connection, listener: () => void): { dispose(): void } {
  let set = listeners.get(connection);
  if (!set) listeners.set(connection, (set = new Set()));
  set.add(listener);
  return { dispose: () => { set.delete(listener); } };
}

export class ConfigurationService {
  private readonly pending = new Map<string, Promise<DaneZoneSettings>>();
  private readonly resolved = new Map<string, DaneZoneSettings>();
  private global: DaneZoneSettings;

  constructor(
    private readonly connection: Connection,
    private readonly pull: boolean,
    private readonly log: Logger,
    initial?: unknown,
  ) {
    this.global = this.sanitize(initial);
    services.set(connection, this);
  }

  private sanitize(raw: unknown): DaneZoneSettings {
    const problems: string[] = [];
    const s = sanitizeSettings(raw, problems);
    for (const p of problems) this.log.warn(`settings ignored: ${p}`);
    return s;
  }

  /** The settings last seen for `uri` (no round trip): for the debounce delay. */
  peek(uri: string): DaneZoneSettings {
    return this.resolved.get(uri) ?? this.global;
  }

  get(uri: string): Promise<DaneZoneSettings> {
    if (!this.pull) return Promise.resolve(this.global);
    let p = this.pending.get(uri);
    if (!p) {
      p = this.fetch(uri);
      this.pending.set(uri, p);
    }
    return p;
  }

  private async fetch(uri: string): Promise<DaneZoneSettings> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), PULL_TIMEOUT_MS); });
      const raw = await Promise.race([
        this.connection.workspace.getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION }),
        timeout,
      ]);
      if (raw === 'timeout') {
        this.log.warn(`workspace/configuration did not answer within ${PULL_TIMEOUT_MS} ms; using the defaults for ${uri}`);
        this.pending.delete(uri);
        return this.global;
      }
      const s = this.sanitize(raw);
      if (this.pending.has(uri)) this.resolved.set(uri, s);
      return s;
    } catch (e) {
      this.log.warn(`workspace/configuration failed (${(e as Error)?.message ?? e}); using the defaults`);
      this.pending.delete(uri);
      return this.global;
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  /** didChangeConfiguration: forget cached settings; take pushed ones when the client pushes. */
  changed(params: DidChangeConfigurationParams): void {
    const pushed = (params?.settings as Record<string, unknown> | undefined)?.[SETTINGS_SECTION];
    if (pushed !== undefined) this.global = this.sanitize(pushed);
    this.pending.clear();
    this.resolved.clear();
    for (const listener of [...(listeners.get(this.connection) ?? [])]) {
      try {
        listener();
      } catch (e) {
        this.log.error(`a settings listener failed: ${(e as Error)?.stack ?? e}`);
      }
    }
  }

  forget(uri: string): void {
    this.pending.delete(uri);
    this.resolved.delete(uri);
  }
}
