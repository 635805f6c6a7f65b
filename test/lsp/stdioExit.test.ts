/**
 * The server over --stdio ends when told to, even if its client keeps stdin open after exit
 * (as an editor that never closes the pipe): after a large document was read in bursts
 * (lsp/stdioReader.ts: nothing is left reading stdin, no thread pending in a read that would
 * keep the process from exiting) and while its open is still running, and when idle.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HoverRequest } from 'vscode-languageserver/node';
import { TestClient } from './client';

const within = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))]);

test('a client that keeps stdin open after shutdown and exit sees the server end (exit code 0)', async () => {
  // (TestClient.stop sends shutdown and exit and waits for the process to end, stdin left open)
  // Idle.
  const idle = await TestClient.start();
  assert.equal(await within(idle.stop(), 10_000, 'idle server'), 0);

  // Right after a 3 MB document (read in bursts), its open still running; a hover answered behind it.
  const busy = await TestClient.start();
  let text = '$ORIGIN example.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n';
  for (let i = 0; text.length < 3_000_000; i++) text += `host${i}\tIN\tA\t192.0.2.${i % 250}\nhost${i}\tIN\tTXT\t"v=spf1 -all ${i}"\n`;
  const uri = 'untitled:large.zone';
  await busy.open(uri, text);
  const hover = await busy.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 3, character: 10 } });
  assert.ok(hover !== undefined);
  assert.equal(await within(busy.stop(), 10_000, 'server after a large open'), 0);
});
