import { ParseOptions, ParsedZone } from './model';
import { parseZone } from './parser';
import { checkZone } from "./checks/zone";
import { AnalysisOptionsLike } from "./checks/options";
import { applyDisableDirectives, checkDane, DaneOptions, viewOfParsed } from './dane/checks';
import { effectiveSeverity, SeverityOverrides } from './rules';
import { ZoneDiagnostic } from './types';

export interface AnalysisOptions extends ParseOptions, AnalysisOptionsLike, DaneOptions {
  /** Per-code severity overrides from settings (`off` silences a code). */
  severity?: SeverityOverrides;
}

export interface ZoneAnalysis {
  parsed: ParsedZone;
  /** Every diagnostic (syntax first, then zone-wide), severities applied, silenced codes dropped. */
  diagnostics: ZoneDiagnostic[];
}

/** Parses a zone and runs every check on it. Pure: all I/O comes through options.io. */
export function analyzeZone(text: string, options: AnalysisOptions = {}): ZoneAnalysis {
  const parsed = parseZone(text, options);
  const all = [...parsed.diagnostics, ...checkZone(parsed, options), ...checkDane(viewOfParsed(parsed), options)];
  const diagnostics = applySeverities(applyDisableDirectives(text, all, parsed.daneDirectives), options.severity);
  return { parsed, diagnostics };
}

export function applySeverities(diags: ZoneDiagnostic[], overrides: SeverityOverrides | undefined): ZoneDiagnostic[] {
  if (!overrides) return diags;
  const out: ZoneDiagnostic[] = [];
  for (const d of diags) {
    const s = effectiveSeverity(d.code, overrides, d.severity);
    if (s) out.push(s === d.severity ? d : { ...d, severity: s });
  }
  return out;
}
