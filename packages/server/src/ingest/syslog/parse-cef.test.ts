import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseCef, type Cef, type CefParseResult } from './parse-cef.ts';

function ok(r: CefParseResult): Cef {
  if ('error' in r) assert.fail(r.error);
  return r;
}

test('header fields, and extension values with spaces running to the next key=', () => {
  const c = ok(parseCef('CEF:0|Security|threatmanager|1.0|100|worm successfully stopped|10|src=10.0.0.1 dst=2.1.2.2 spt=1232 msg=Detected a threat. No action needed act=blocked a fine'));
  assert.deepEqual(c, {
    version: '0', deviceVendor: 'Security', deviceProduct: 'threatmanager', deviceVersion: '1.0', deviceEventClassId: '100',
    name: 'worm successfully stopped', severity: '10',
    extensions: { src: '10.0.0.1', dst: '2.1.2.2', spt: '1232', msg: 'Detected a threat. No action needed', act: 'blocked a fine' },
  });
});

test('header escapes \\| and \\\\; extension escapes \\= \\\\ \\n \\r', () => {
  const c = ok(parseCef('CEF:0|Vend\\|or|Prod\\\\uct|1|id|na\\|me|High|request=http://x/?a\\=b path=C:\\\\Windows msg=line1\\nline2\\rend other=a\\qb'));
  assert.equal(c.deviceVendor, 'Vend|or');
  assert.equal(c.deviceProduct, 'Prod\\uct');
  assert.equal(c.name, 'na|me');
  assert.equal(c.severity, 'High');
  assert.deepEqual(c.extensions, { request: 'http://x/?a=b', path: 'C:\\Windows', msg: 'line1\nline2\rend', other: 'a\\qb' });
});

test('text before CEF:, a space after CEF:, empty values, values holding "=", vendor keys', () => {
  const c = ok(parseCef('Aug  3 10:49:35 Barracuda CEF: 0|BarracudaNetworks|WAAS|BNWAS-1.0|WAF|WAF|4| cat=TR msg=lang=en h1= h2= RADIUS.Acct-Session-Id=R1 ad.Items[0]=x suser="-"'));
  assert.equal(c.version, '0');
  assert.deepEqual(c.extensions, { cat: 'TR', msg: 'lang=en', h1: '', h2: '', 'RADIUS.Acct-Session-Id': 'R1', 'ad.Items[0]': 'x', suser: '"-"' });
});

test('severity is kept as sent; a header without extensions and without the last |', () => {
  assert.equal(ok(parseCef('CEF:0||||N/A|URL Access Violation|Substantial|cat=attack')).severity, 'Substantial');
  const bare = ok(parseCef('CEF:1|v|p|1|id|name|Very-High'));
  assert.equal(bare.severity, 'Very-High');
  assert.deepEqual(bare.extensions, {});
  assert.equal(bare.version, '1');
});

test('text before the first key is kept as unparsedExtension', () => {
  const c = ok(parseCef('CEF:0|v|p|1|id|n|3|stray words a=b'));
  assert.equal(c.unparsedExtension, 'stray words');
  assert.deepEqual(c.extensions, { a: 'b' });
});

test('errors: no CEF:, too few header fields, a non-numeric version', () => {
  assert.ok('error' in parseCef('hello world'));
  assert.ok('error' in parseCef('CEF:0|v|p|1'));
  assert.ok('error' in parseCef('CEF:x|v|p|1|id|n|3|a=b'));
});

test('a "__proto__" key is an ordinary extension', () => {
  const c = ok(parseCef('CEF:0|v|p|1|id|n|3|__proto__=x a=b'));
  assert.equal(Object.getPrototypeOf(c.extensions), Object.prototype);
  assert.deepEqual(Object.keys(c.extensions), ['__proto__', 'a']);
});

test('fuzz: parseCef never throws on arbitrary strings, bytes or CEF-shaped noise', () => {
  const check = (s: string): void => {
    const r = parseCef(s);
    if (!('error' in r)) assert.equal(typeof r.severity, 'string');
  };
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), check), { numRuns: 3000 });
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
    check(Buffer.from(b).toString('latin1'));
    check(Buffer.from(b).toString('utf8'));
  }), { numRuns: 3000 });
  const piece = fc.constantFrom('CEF:', '0', '|', '\\', '=', ' ', 'a', 'key', 'msg', '\\=', '\\|', '\\\\', '\n', '__proto__', '[', '.');
  fc.assert(fc.property(fc.array(piece, { maxLength: 60 }), (p) => check(p.join(''))), { numRuns: 5000 });
});

test('round trip: escaped values come back as written', () => {
  const value = fc.string({ maxLength: 30 }).map((s) => s.trim()).filter((s) => !/\s[A-Za-z0-9_.\-[\]]+=/.test(` ${s}`) && !/\s/.test(s.slice(-1)));
  const escape = (s: string): string => s.replace(/\\/g, '\\\\').replace(/=/g, '\\=').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  fc.assert(fc.property(fc.array(value, { minLength: 1, maxLength: 5 }), (values) => {
    const ext = values.map((v, i) => `k${i}=${escape(v)}`).join(' ');
    const c = ok(parseCef(`CEF:0|v|p|1|id|n|3|${ext}`));
    assert.deepEqual(Object.values(c.extensions), values);
  }), { numRuns: 2000 });
});
