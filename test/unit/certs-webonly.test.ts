/**
 * The certificate layer runs without Node: bundled (esbuild, platform neutral) and run in a
 * bare V8 context that has only what a browser or worker also has (WebCrypto, TextEncoder/
 * TextDecoder), no `require`, `Buffer`, `process` or `global`. @peculiar/x509 gets its crypto
 * provider from `globalThis.crypto` there, and its reflect polyfill from the bundle.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { build } from 'esbuild';
import { makeFixtures, opensslMatching, opensslMissing } from './certs-fixtures';

const CERTS = path.join(__dirname, '..', '..', '..', 'server', 'src', 'core', 'certs');

interface Exposed {
  loadKeyMaterial(b: Uint8Array): Promise<{ ok: boolean; error?: string; material?: { kind: string; subject?: string; certificates: { issuer: string; sans: string[] }[] } }>;
  associationHex(m: unknown, s: number, t: number): Promise<string | undefined>;
  signedBy(cert: unknown, spki: Uint8Array): Promise<boolean | undefined>;
}

/**
 * Node's WebCrypto, as a context of its own would have it: Node's SubtleCrypto refuses buffers
 * made in another V8 context (a browser's crypto and buffers share one realm), so the octets are
 * copied over on the way in. Nothing else is adapted.
 */
function sameRealmCrypto(): typeof globalThis.crypto {
  const isBytes = (x: unknown) => ['[object ArrayBuffer]', '[object Uint8Array]', '[object DataView]'].includes(Object.prototype.toString.call(x));
  const copy = (x: unknown) => (isBytes(x) ? Uint8Array.from(new Uint8Array((x as { buffer?: ArrayBuffer }).buffer ?? (x as ArrayBuffer),
    (x as Uint8Array).byteOffset ?? 0, (x as Uint8Array).byteLength)) : x);
  const subtle = globalThis.crypto.subtle as unknown as Record<string, (...a: unknown[]) => unknown>;
  const wrapped: Record<string, unknown> = {};
  for (const name of ['digest', 'importKey', 'exportKey', 'verify', 'sign', 'generateKey', 'deriveBits']) {
    wrapped[name] = (...args: unknown[]) => subtle[name].apply(subtle, args.map(copy));
  }
  return { subtle: wrapped, getRandomValues: (a: Uint8Array) => globalThis.crypto.getRandomValues(a) } as unknown as typeof globalThis.crypto;
}

test('the certificate layer (load, hash, signature check) runs in a context without Node globals', { skip: opensslMissing }, async () => {
  const out = await build({
    stdin: {
      contents: "export { loadKeyMaterial } from './load'; export { associationHex } from './hash'; export { signedBy } from './verify';",
      resolveDir: CERTS, loader: 'ts', sourcefile: 'entry.ts',
    },
    bundle: true, write: false, platform: 'neutral', format: 'iife', globalName: 'certs', mainFields: ['module', 'main'], logLevel: 'silent',
  });
  const code = out.outputFiles[0].text;
  const context = vm.createContext({ crypto: sameRealmCrypto(), TextEncoder, TextDecoder });
  vm.runInContext(code, context);
  for (const name of ['require', 'Buffer', 'process', 'global']) assert.equal(vm.runInContext(`typeof ${name}`, context), 'undefined', name);
  const api = vm.runInContext('certs', context) as Exposed;
  const fx = makeFixtures();
  try {
    // Byte arrays of the context's own realm, as a browser would hand them over.
    const bytes = (name: string) => vm.runInContext('(a) => Uint8Array.from(a)', context)(Array.from(fx.read(name))) as Uint8Array;
    const chain = await api.loadKeyMaterial(bytes('fullchain.pem'));
    assert.equal(chain.ok, true, chain.error);
    assert.equal(chain.material!.kind, 'chain');
    assert.deepEqual(Array.from(chain.material!.certificates[0].sans), ['mx1.example.com', 'mail.example.com']);
    assert.equal(chain.material!.certificates[0].issuer, 'CN=Test Issuing CA, O=Test');
    assert.equal(await api.associationHex(chain.material, 1, 1), opensslMatching(fx.certSpki('leaf.pem'), 1));
    const [leaf, ca] = (chain.material as unknown as { certificates: { spki: Uint8Array }[] }).certificates;
    assert.equal(await api.signedBy(leaf, ca.spki), true);
    assert.equal(await api.signedBy(leaf, leaf.spki), false);
    const key = await api.loadKeyMaterial(bytes('ec.key'));
    assert.equal(await api.associationHex(key.material, 1, 1), opensslMatching(fx.keySpki('ec.key'), 1));
  } finally {
    fx.cleanup();
  }
});
