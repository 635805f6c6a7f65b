/**
 * Settings renamed so that VS Code's Settings editor titles them right (it makes a setting's
 * title from its key's words: `daneZone.dnssec` showed as "Dnssec", `tlsa.maxTtl` as
 * "Tlsa: Max Ttl"; an all-capitals part is kept as written). The old keys stay in package.json,
 * deprecated, and are still read: when a new key has no value of its own in any scope and its
 * old key has one, the server gets the old key's value under the new name. The server reads
 * the old keys too (other editors send what their users wrote). No `node:` imports: usable
 * from a browser entry as well.
 */
import * as vscode from 'vscode';

/** [new key, old key] under `daneZone`. */
export const RENAMED_SETTINGS: readonly (readonly [string, string])[] = [
  ['DNSSEC', 'dnssec'],
  ['DNSSECExpiryWarningDays', 'dnssecExpiryWarningDays'],
  ['TLSAMaxTTL', 'tlsa.maxTtl'],
];

/** True when the user (or a workspace / folder, for any language) gave the key a value. */
function isSet(config: vscode.WorkspaceConfiguration, key: string): boolean {
  const i = config.inspect(key);
  if (!i) return false;
  return [i.globalValue, i.workspaceValue, i.workspaceFolderValue, i.globalLanguageValue, i.workspaceLanguageValue, i.workspaceFolderLanguageValue]
    .some((v) => v !== undefined);
}

/** `settings` (the section as a plain object) with each unset new key taking its set old key's value. */
export function withRenamedSettings(config: vscode.WorkspaceConfiguration, settings: Record<string, unknown>): Record<string, unknown> {
  for (const [now, old] of RENAMED_SETTINGS) {
    if (!isSet(config, now) && isSet(config, old)) settings[now] = config.get(old);
  }
  return settings;
}

/** The `section` settings for `scope` as the server should see them. */
export function sectionSettings(section: string, scope?: vscode.ConfigurationScope): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration(section, scope);
  return withRenamedSettings(config, JSON.parse(JSON.stringify(config)) as Record<string, unknown>);
}
