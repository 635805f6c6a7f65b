// The Web platform globals the core uses besides WebCrypto (webcrypto.ts), declared for the
// core's own build, which has neither DOM nor Node types: using anything else of Node's or the
// browser's (process, Buffer, fs, setTimeout…) fails the build. Node ≥ 18 and browsers have these.

declare class TextEncoder {
  encode(input?: string): Uint8Array;
}

declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}
