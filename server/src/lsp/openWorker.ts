/**
 * The language server's worker thread for opening large documents (lsp/openHelper.ts starts it
 * with the server): it computes the first publication's diagnostics of a document's second half
 * (core/documentOpening.ts openingTail) while the main thread parses the first half. Warmed at
 * start on a small zone, so its first real job runs compiled code.
 */
import { parentPort } from 'node:worker_threads';
import { AnalysisOptions, openingTail } from '../core';

export interface OpeningJob {
  id: number;
  text: string;
  options: AnalysisOptions;
  fraction: number;
}

function warmZone(): string {
  const lines = ['$ORIGIN warm.example.', '$TTL 3600', '@ IN SOA ns1 hostmaster ( 1 7200 3600 1209600 300 )', '\tIN\tNS\tns1'];
  for (let i = 0; i < 3000; i++) {
    lines.push(`h${i}\t3600\tIN\tA\t10.0.${i >> 8}.${i & 255}`, `\tIN\tAAAA\t2001:db8::${i.toString(16)}`, `\tIN\tMX\t10 mail${i}`,
      `\tIN\tTXT\t"v=spf1 a mx -all" "x${i}"`, `www.h${i}\tIN\tCNAME\th${i}`, `_25._tcp.mail${i}\tIN\tTLSA\t3 1 1 ${'ab'.repeat(32)}`);
  }
  return lines.join('\n') + '\n';
}

const port = parentPort;
if (port) {
  try {
    openingTail(warmZone(), {});
  } catch {
    /* only a warm-up */
  }
  port.on('message', (job: OpeningJob) => {
    let tail;
    try {
      tail = openingTail(job.text, job.options, job.fraction);
    } catch (e) {
      port.postMessage({ id: job.id, error: String((e as Error)?.message ?? e) });
      return;
    }
    try {
      port.postMessage({ id: job.id, tail });
    } catch (e) {
      port.postMessage({ id: job.id, error: `result not sent: ${String((e as Error)?.message ?? e)}` });
    }
  });
  port.postMessage({ ready: true });
}
