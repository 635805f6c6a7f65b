import { parseArgs, ParseArgsConfig } from 'node:util';

/**
 * Command-line options through node:util parseArgs (strict: unknown options and missing
 * values are errors), with this CLI's messages: `unknown option --x`, `--x needs a value`.
 */
export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** The options and positionals, or the message of a usage error. */
export function parseCommandArgs(args: readonly string[], options: OptionSpec): ParsedArgs | { error: string } {
  try {
    const r = parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
    return { values: { ...r.values } as ParsedArgs['values'], positionals: r.positionals };
  } catch (e) {
    const err = e as { code?: string; message?: string };
    const opt = /'(-[^' ,]+)/.exec(err.message ?? '')?.[1] ?? '';
    const long = opt.startsWith('--') ? opt : Object.entries(options).find(([, o]) => o.short === opt.slice(1))?.[0];
    const name = long === undefined ? opt : long.startsWith('--') ? long : `--${long}`;
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return { error: `unknown option ${opt}` };
    if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return { error: `${name} needs a value` };
    return { error: err.message ?? String(e) };
  }
}
