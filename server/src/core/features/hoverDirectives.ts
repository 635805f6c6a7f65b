/**
 * Hover on directives: the master-file `$ORIGIN`, `$TTL`, `$INCLUDE`, `$GENERATE` (with what
 * they did here) and the `; dane-zone` settings comment.
 */
import { DaneDirective, ZoneDirective } from '../model';
import { parseName } from '../names';
import { RULES } from '../rules';
import { describeTtl, parseTtl } from '../ttl';
import { Token } from '../types';
import { code, DANE_KEY_NAMES, daneKeyDocumentation, directiveDocumentation, dnssecValueDocumentation } from './docs';
import { HoverContext as Ctx, plural, ZoneHover } from './hoverCommon';

// ---- directives ---------------------------------------------------------------------

export function directiveHover(ctx: Ctx, d: ZoneDirective, at: number): ZoneHover | undefined {
  const tokens = [d.nameToken, ...d.args];
  let t: Token | undefined;
  for (const x of tokens) {
    if (x.start <= at && at < x.end) { t = x; break; }
    if (at === x.end) t = x;
  }
  if (!t) return undefined;
  const span = { start: t.start, end: t.end };
  const doc = directiveDocumentation(d.name);
  if (!doc) {
    return { contents: `${code(d.nameToken.text)} is not a directive: the master-file directives are $ORIGIN, $TTL, $INCLUDE and $GENERATE.`, ...span };
  }
  const lines = [doc];
  if (d.name === '$TTL' && d.args.length === 1) {
    const v = parseTtl(d.args[0].text);
    if ('value' in v) lines.push('', `${code(d.args[0].text)} = ${describeTtl(v.value)}`);
  } else if (d.name === '$ORIGIN' && d.args.length === 1) {
    const n = parseName(d.args[0].text, undefined);
    if (n.name === undefined && !d.args[0].text.endsWith('.')) {
      lines.push('', `⚠ ${code(d.args[0].text)} has no trailing dot, so it is relative to the previous origin: write the absolute name, e.g. ${code(d.args[0].text + '.')}`);
    }
  } else if (d.name === '$INCLUDE') {
    const n = ctx.parsed.records.filter((r) => r.includeSpan && r.includeSpan.start === d.start).length;
    const file = ctx.parsed.records.find((r) => r.includeSpan && r.includeSpan.start === d.start)?.includeFile;
    lines.push('', n > 0 ? `${plural(n, 'record')} read${file ? ` from ${code(file)}` : ''}.` : 'No records read from it.');
  } else if (d.name === '$GENERATE') {
    const n = ctx.parsed.records.filter((r) => !r.includeFile && r.start === d.start).length;
    lines.push('', `Generates ${plural(n, 'record')}.`);
  }
  return { contents: lines.join('\n'), ...span };
}


// ---- `; dane-zone` directives -------------------------------------------------------------

export function daneDirectiveHover(d: DaneDirective, at: number): ZoneHover | undefined {
  const item = d.items.find((i) => i.start <= at && at <= i.end);
  if (!item) {
    return {
      contents: `**; dane-zone** — settings for this tool; DNS servers read this as a comment.\n\n` + DANE_KEY_NAMES.map((k) => `- ${daneKeyDocumentation(k)!.split(' — ')[0]}`).join('\n'),
      start: d.start, end: d.end,
    };
  }
  const span = { start: item.start, end: item.end };
  const doc = daneKeyDocumentation(item.key);
  if (!doc) {
    return { contents: `${code(item.key + '=')} is not a dane-zone setting; the keys are ${DANE_KEY_NAMES.map((k) => code(k + '=')).join(', ')}.`, ...span };
  }
  const lines = [doc];
  if (item.key === 'dnssec') {
    const v = dnssecValueDocumentation(item.value);
    lines.push('', v ? `Here: ${code(item.value)} — ${v}.` : `⚠ ${code(item.value)} is not one of ${code('signed')}, ${code('unsigned')}, ${code('inline')}.`);
  } else if (item.key === 'disable') {
    const codes = item.value.split(',').filter(Boolean);
    lines.push('', ...codes.map((c) => {
      const rule = RULES.get(c);
      return rule ? `- ${code(c)}: ${rule.title}` : `- ${code(c)}: ⚠ not a diagnostic code`;
    }));
  }
  return { contents: lines.join('\n'), ...span };
}
