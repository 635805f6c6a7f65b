import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCommandArgs } from '../../server/src/cli/args';

const OPTIONS = { format: { type: 'string' as const, short: 'f' }, ca: { type: 'boolean' as const } };

test('command arguments: node:util parseArgs with this CLI\'s usage messages', () => {
  assert.deepEqual(parseCommandArgs(['-f', 'json', 'a.zone', '--', '-b.zone'], OPTIONS), { values: { format: 'json' }, positionals: ['a.zone', '-b.zone'] });
  assert.deepEqual(parseCommandArgs(['--format=sarif', '-'], OPTIONS), { values: { format: 'sarif' }, positionals: ['-'] });
  assert.deepEqual(parseCommandArgs(['--nope'], OPTIONS), { error: 'unknown option --nope' });
  assert.deepEqual(parseCommandArgs(['a.zone', '--format'], OPTIONS), { error: '--format needs a value' });
  assert.deepEqual(parseCommandArgs(['-f'], OPTIONS), { error: '--format needs a value' });
});
