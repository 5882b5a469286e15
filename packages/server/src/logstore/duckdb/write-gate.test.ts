import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WriteGate } from './write-gate.ts';

const tick = () => new Promise((r) => setImmediate(r));

test('up to maxShared appends run together; an exclusive holder waits for them and runs alone, in order', async () => {
  const gate = new WriteGate(2);
  const log: string[] = [];
  const release: Record<string, () => void> = {};
  const job = (name: string, exclusive: boolean) => gate.run(exclusive, () => {
    log.push(`start ${name}`);
    return new Promise<void>((r) => { release[name] = () => { log.push(`end ${name}`); r(); }; });
  });
  const a = job('a', false);
  const b = job('b', false);
  const c = job('c', false);
  const x = job('x', true);
  const d = job('d', false);
  await tick();
  assert.deepEqual(log, ['start a', 'start b'], 'two shared at most');
  release.a!();
  await tick();
  assert.deepEqual(log.slice(2), ['end a', 'start c']);
  release.b!(); release.c!();
  await tick(); await tick();
  assert.deepEqual(log.slice(4), ['end b', 'end c', 'start x'], 'the exclusive waits for every shared holder, and d waits behind it');
  release.x!();
  await tick(); await tick();
  assert.deepEqual(log.slice(7), ['end x', 'start d']);
  release.d!();
  await Promise.all([a, b, c, x, d]);
});

test('a failing holder releases the gate', async () => {
  const gate = new WriteGate(1);
  await assert.rejects(gate.run(true, async () => { throw new Error('boom'); }), /boom/);
  assert.equal(await gate.run(false, async () => 'next'), 'next');
});
