import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SyslogDeframer, type DeframeResult } from './deframer.ts';

function run(max: number, chunks: Buffer[]): DeframeResult {
  const d = new SyslogDeframer({ maxFrameBytes: max });
  const all: DeframeResult = { frames: [], errors: [] };
  for (const c of [...chunks.map((c) => d.push(c)), d.end()]) {
    all.frames.push(...c.frames);
    all.errors.push(...c.errors);
  }
  return all;
}

const text = (r: DeframeResult): string[] => r.frames.map((f) => f.toString('latin1'));

/** Splits a buffer at the given cut points (positions into it, in any order). */
function split(buf: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let last = 0;
  for (const p of points) {
    out.push(buf.subarray(last, p));
    last = p;
  }
  out.push(buf.subarray(last));
  return out;
}

test('non-transparent framing: LF, CRLF and NUL end a message', () => {
  const r = run(1024, [Buffer.from('<13>a\n<13>b\r\n<13>c\0<13>d')]);
  assert.deepEqual(text(r), ['<13>a', '<13>b', '<13>c', '<13>d']);
  assert.deepEqual(r.errors, []);
});

test('octet counting, also mixed with LF framing on one stream, and a trailing LF after a counted frame', () => {
  const r = run(1024, [Buffer.from('5 <13>a9 <13>b\nc d\n<13>e\n3 xyz\n')]);
  assert.deepEqual(text(r), ['<13>a', '<13>b\nc d', '<13>e', 'xyz']);
});

test('digits that are not followed by a space open an ordinary line', () => {
  assert.deepEqual(text(run(1024, [Buffer.from('123abc\n12345678901 x\n')])), ['123abc', '12345678901 x']);
});

test('an oversized line is cut, reported, and the stream resyncs at the next delimiter', () => {
  const r = run(8, [Buffer.from('0123456789abcdef\n<13>ok\n')]);
  assert.deepEqual(text(r), ['01234567', '<13>ok']);
  assert.equal(r.errors.length, 1);
});

test('a line of exactly maxFrameBytes ending in CRLF is not cut', () => {
  const r = run(4, [Buffer.from('abcd\r'), Buffer.from('\nefgh\n')]);
  assert.deepEqual(text(r), ['abcd', 'efgh']);
  assert.deepEqual(r.errors, []);
});

test('an oversized octet-counted frame is cut and the rest of it skipped by its count', () => {
  const r = run(4, [Buffer.from('10 0123456789'), Buffer.from('3 abc')]);
  assert.deepEqual(text(r), ['0123', 'abc']);
  assert.equal(r.errors.length, 1);
});

test('a stream ending inside an octet-counted frame reports it', () => {
  const r = run(100, [Buffer.from('10 abc')]);
  assert.deepEqual(r.frames, []);
  assert.equal(r.errors.length, 1);
});

test('a final line without its delimiter is delivered at end()', () => {
  assert.deepEqual(text(run(100, [Buffer.from('<13>a\n<13>b')])), ['<13>a', '<13>b']);
});

test('a 100 MB line without a delimiter keeps memory bounded and yields one cut frame', () => {
  const d = new SyslogDeframer({ maxFrameBytes: 1000 });
  const chunk = Buffer.alloc(1 << 20, 0x41);
  let frames = 0;
  for (let i = 0; i < 100; i++) frames += d.push(chunk).frames.length;
  assert.equal(frames, 1);
  assert.deepEqual(d.push(Buffer.from('\n<13>x\n')).frames.map((f) => f.toString()), ['<13>x']);
});

test('fuzz: arbitrary bytes in arbitrary chunks never throw and never exceed maxFrameBytes', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 64 }), fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 20 }), (max, chunks) => {
      const r = run(max, chunks.map((c) => Buffer.from(c)));
      for (const f of r.frames) {
        assert.ok(f.length <= max && f.length > 0);
      }
    }),
    { numRuns: 2000 },
  );
});

test('fuzz: biased garbage (digits, spaces, delimiters) never throws nor exceeds the limit', () => {
  const byte = fc.constantFrom(0x30, 0x31, 0x39, 0x20, 0x0a, 0x0d, 0x00, 0x3c, 0x41);
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 16 }), fc.array(byte, { maxLength: 300 }), fc.array(fc.nat(), { maxLength: 10 }), (max, bytes, cuts) => {
      const r = run(max, split(Buffer.from(bytes), cuts));
      for (const f of r.frames) assert.ok(f.length <= max && f.length > 0);
    }),
    { numRuns: 2000 },
  );
});

test('round trip: octet-counted arbitrary messages split at random boundaries come back identical', () => {
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ minLength: 1, maxLength: 100 }), { maxLength: 15 }), fc.array(fc.nat(), { maxLength: 20 }), (msgs, cuts) => {
      const stream = Buffer.concat(msgs.map((m) => Buffer.concat([Buffer.from(`${m.length} `), m])));
      const r = run(100, split(stream, cuts));
      assert.deepEqual(r.frames.map((f) => [...f]), msgs.map((m) => [...m]));
      assert.deepEqual(r.errors, []);
    }),
    { numRuns: 1000 },
  );
});

test('round trip: LF-framed messages (no delimiters inside) split at random boundaries come back identical', () => {
  // A message that begins like "12 " would be read as octet-counted, as RFC 6587 detection must:
  // syslog messages begin with "<", which these do.
  const body = fc.uint8Array({ maxLength: 100 }).map((b) => Buffer.from([0x3c, ...[...b].filter((x) => x !== 0x0a && x !== 0x00 && x !== 0x0d)]));
  fc.assert(
    fc.property(fc.array(body, { maxLength: 15 }), fc.constantFrom('\n', '\r\n', '\0'), fc.array(fc.nat(), { maxLength: 20 }), (msgs, delim, cuts) => {
      const stream = Buffer.concat(msgs.flatMap((m) => [m, Buffer.from(delim)]));
      const r = run(101, split(stream, cuts));
      assert.deepEqual(r.frames.map((f) => [...f]), msgs.map((m) => [...m]));
      assert.deepEqual(r.errors, []);
    }),
    { numRuns: 1000 },
  );
});

test('round trip: a stream mixing both framings comes back identical', () => {
  const msg = fc.uint8Array({ maxLength: 50 }).map((b) => Buffer.from([0x3c, ...[...b].filter((x) => x !== 0x0a && x !== 0x00 && x !== 0x0d)]));
  fc.assert(
    fc.property(fc.array(fc.tuple(msg, fc.boolean()), { maxLength: 15 }), fc.array(fc.nat(), { maxLength: 20 }), (items, cuts) => {
      const stream = Buffer.concat(items.map(([m, counted]) => (counted ? Buffer.concat([Buffer.from(`${m.length} `), m]) : Buffer.concat([m, Buffer.from('\n')]))));
      const r = run(51, split(stream, cuts));
      assert.deepEqual(r.frames.map((f) => [...f]), items.map(([m]) => [...m]));
    }),
    { numRuns: 1000 },
  );
});
