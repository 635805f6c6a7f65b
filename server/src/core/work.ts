/**
 * A deterministic count of the work the lexer and parser did: characters the lexer examined
 * (each pass over a character counts, so re-scanning shows) plus tokens the parser handled.
 * Property tests assert that it grows linearly with the input, which no busy machine can
 * disturb; real timings belong to the benchmark.
 */
export const work = { steps: 0 };
