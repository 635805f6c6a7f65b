/**
 * The text side of a linked file: PEM blocks (RFC 7468, text between blocks ignored as OpenSSL
 * does; their base64 is core/bytes.ts' strict fromBase64), and recognising files that are not certificates at all (images,
 * archives, executables, plain text). Pure; nothing throws.
 */


// ---------------------------------------------------------------- PEM

export interface PemBlock {
  label: string;
  line: number;
  headers: Record<string, string>;
  base64: string;
}

/** The PEM blocks of a text (text between blocks is ignored, as OpenSSL does). */
export function pemBlocks(text: string): PemBlock[] | string {
  const blocks: PemBlock[] = [];
  const lines = text.split(/\r?\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const begin = /^\s*-----BEGIN ([^-]*)-----\s*$/.exec(lines[i]);
    if (!begin) continue;
    const label = begin[1].trim();
    const block: PemBlock = { label, line: i + 1, headers: {}, base64: '' };
    const body: string[] = [];
    let ended = false;
    let j = i + 1;
    for (; j < lines.length; j++) {
      const l = lines[j];
      const end = /^\s*-----END ([^-]*)-----\s*$/.exec(l);
      if (end) {
        if (end[1].trim() !== label) return `the \`-----BEGIN ${label}-----\` block at line ${i + 1} ends with \`-----END ${end[1].trim()}-----\``;
        ended = true;
        break;
      }
      if (/^\s*-----BEGIN /.test(l)) break;
      const h = /^([A-Za-z][\w-]*):\s*(.*)$/.exec(l);
      if (h && body.length === 0) { block.headers[h[1].toLowerCase()] = h[2]; continue; }
      body.push(l);
    }
    if (!ended) {
      return `truncated PEM: \`-----BEGIN ${label}-----\` at line ${i + 1} has no \`-----END ${label}-----\` line (the file is cut short?)`;
    }
    block.base64 = body.join('\n');
    blocks.push(block);
    i = j;
  }
  return blocks;
}

// ---------------------------------------------------------------- file types that are not certificates

const MAGIC: [number[], string][] = [
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0x47, 0x49, 0x46, 0x38], 'a GIF image'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive'],
  [[0x1f, 0x8b], 'a gzip archive'],
  [[0x7f, 0x45, 0x4c, 0x46], 'an executable (ELF)'],
];

export function magic(d: Uint8Array): string | undefined {
  for (const [sig, what] of MAGIC) if (sig.every((b, i) => d[i] === b)) return what;
  return undefined;
}

export function mostlyText(d: Uint8Array): boolean {
  const n = Math.min(d.length, 4096);
  let text = 0;
  for (let i = 0; i < n; i++) {
    const c = d[i];
    if (c === 9 || c === 10 || c === 13 || (c >= 0x20 && c < 0x7f) || c >= 0x80) text++;
  }
  return text >= n * 0.95;
}
