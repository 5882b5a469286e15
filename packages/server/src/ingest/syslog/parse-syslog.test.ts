import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseSyslog, type ParsedSyslog, type SyslogParseResult } from './parse-syslog.ts';

const ctx = { receivedAt: new Date('2024-03-01T12:00:00Z'), sourceIp: '192.0.2.7' };

function ok(r: SyslogParseResult): ParsedSyslog {
  if ('error' in r) assert.fail(r.error);
  return r;
}

test('RFC 5424 6.5 example 1: NILVALUE procid and SD, BOM before the MSG', () => {
  const p = ok(parseSyslog("<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \uFEFF'su root' failed for lonvick on /dev/pts/8", ctx));
  assert.deepEqual(p, {
    facility: 4, severity: 2, timestamp: new Date('2003-10-11T22:14:15.003Z'), hostname: 'mymachine.example.com',
    appName: 'su', msgId: 'ID47', message: "'su root' failed for lonvick on /dev/pts/8", format: 'rfc5424',
  });
});

test('RFC 5424 6.5 example 2: a zone offset and microseconds', () => {
  const p = ok(parseSyslog("<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.", ctx));
  assert.equal(p.facility, 20);
  assert.equal(p.severity, 5);
  assert.equal(p.timestamp.toISOString(), '2003-08-24T12:14:15.000Z');
  assert.equal(p.hostname, '192.0.2.1');
  assert.equal(p.appName, 'myproc');
  assert.equal(p.procId, '8710');
  assert.equal(p.msgId, undefined);
  assert.equal(p.structuredData, undefined);
  assert.equal(p.message, "%% It's time to make the do-nuts.");
});

test('RFC 5424 6.5 example 3: structured data and a message', () => {
  const p = ok(parseSyslog('<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] \uFEFFAn application event log entry...', ctx));
  assert.deepEqual(p.structuredData, { 'exampleSDID@32473': { iut: '3', eventSource: 'Application', eventID: '1011' } });
  assert.equal(p.structuredDataText, '[exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"]');
  assert.equal(p.message, 'An application event log entry...');
  assert.equal(p.appName, 'evntslog');
  assert.equal(p.msgId, 'ID47');
});

test('RFC 5424 6.5 example 4: two SD elements and no message', () => {
  const p = ok(parseSyslog('<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high"]', ctx));
  assert.deepEqual(p.structuredData, {
    'exampleSDID@32473': { iut: '3', eventSource: 'Application', eventID: '1011' },
    'examplePriority@32473': { class: 'high' },
  });
  assert.equal(p.message, '');
});

test('RFC 5424 structured data escapes: \\" \\\\ \\] are escapes, other backslashes stay', () => {
  const p = ok(parseSyslog('<13>1 - - - - - [x@1 a="q\\"uote" b="back\\\\slash" c="br\\]acket" d="C:\\dir"] m', ctx));
  assert.deepEqual(p.structuredData, { 'x@1': { a: 'q"uote', b: 'back\\slash', c: 'br]acket', d: 'C:\\dir' } });
  assert.equal(p.timestamp, ctx.receivedAt);
  assert.equal(p.hostname, undefined);
  assert.equal(p.message, 'm');
});

test('RFC 5424 errors: bad timestamp, unterminated structured data, a zone-less timestamp', () => {
  assert.ok('error' in parseSyslog('<13>1 yesterday host app - - - m', ctx));
  assert.ok('error' in parseSyslog('<13>1 2003-10-11T22:14:15Z host app - - [x@1 a="b', ctx));
  assert.ok('error' in parseSyslog('<13>1 2003-10-11T22:14:15 host app - - - m', ctx));
  assert.ok('error' in parseSyslog('<13>1 2003-10-11T22:14:15Z host', ctx));
});

test('RFC 3164 5.4 example 1', () => {
  const p = ok(parseSyslog("<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8", ctx));
  assert.deepEqual(p, {
    facility: 4, severity: 2, timestamp: new Date('2023-10-11T22:14:15Z'), hostname: 'mymachine', appName: 'su',
    message: "'su root' failed for lonvick on /dev/pts/8", format: 'rfc3164',
  });
});

test('RFC 3164 5.4 example 2, as the relay forwards it: no tag', () => {
  const p = ok(parseSyslog('<13>Feb  5 17:32:18 10.0.0.99 Use the BFG!', ctx));
  assert.equal(p.timestamp.toISOString(), '2024-02-05T17:32:18.000Z');
  assert.equal(p.hostname, '10.0.0.99');
  assert.equal(p.appName, undefined);
  assert.equal(p.message, 'Use the BFG!');
  assert.equal(p.facility, 1);
  assert.equal(p.severity, 5);
});

test('RFC 3164 5.4 example 3: the RFC notes HOSTNAME is read as "CST"', () => {
  const p = ok(parseSyslog("<165>Aug 24 05:34:00 CST 1987 mymachine myproc[10]: %% It's time to make the do-nuts.  %%  Ingredients: Mix=OK, Jelly=OK # Devices: Mixer=OK, Jelly_Injector=OK, Frier=OK # Transport: Conveyer1=OK, Conveyer2=OK # %%", ctx));
  assert.equal(p.hostname, 'CST');
  assert.equal(p.timestamp.toISOString(), '2023-08-24T05:34:00.000Z');
  assert.ok(p.message.startsWith('1987 mymachine myproc[10]: %%'));
});

test('RFC 3164 5.4 example 4: an unreadable timestamp leaves the whole content as MSG, timed at receipt', () => {
  const p = ok(parseSyslog("<0>1990 Oct 22 10:52:01 TZ-6 scapegoat.dmz.example.org 10.1.2.3 sched[0]: That's All Folks!", ctx));
  assert.equal(p.timestamp, ctx.receivedAt);
  assert.equal(p.hostname, undefined);
  assert.equal(p.message, "1990 Oct 22 10:52:01 TZ-6 scapegoat.dmz.example.org 10.1.2.3 sched[0]: That's All Folks!");
  // Example 5: the relay's own header in front of it.
  const q = ok(parseSyslog("<0>Oct 22 10:52:12 scapegoat 1990 Oct 22 10:52:01 TZ-6 scapegoat.dmz.example.org 10.1.2.3 sched[0]: That's All Folks!", ctx));
  assert.equal(q.hostname, 'scapegoat');
  assert.equal(q.message, "1990 Oct 22 10:52:01 TZ-6 scapegoat.dmz.example.org 10.1.2.3 sched[0]: That's All Folks!");
});

test('RFC 3164 year inference: more than a day ahead of receipt means last year', () => {
  const jan = { receivedAt: new Date('2024-01-01T00:30:00Z'), sourceIp: 'x' };
  assert.equal(ok(parseSyslog('<13>Dec 31 23:59:59 h t: m', jan)).timestamp.toISOString(), '2023-12-31T23:59:59.000Z');
  assert.equal(ok(parseSyslog('<13>Jan  1 12:00:00 h t: m', jan)).timestamp.toISOString(), '2024-01-01T12:00:00.000Z');
  assert.equal(ok(parseSyslog('<13>Jan  2 00:30:00 h t: m', jan)).timestamp.toISOString(), '2024-01-02T00:30:00.000Z');
  assert.equal(ok(parseSyslog('<13>Jan  3 00:30:01 h t: m', jan)).timestamp.toISOString(), '2023-01-03T00:30:01.000Z');
  // 29 February belongs to the latest leap year.
  const y2025 = { receivedAt: new Date('2025-03-10T00:00:00Z'), sourceIp: 'x' };
  assert.equal(ok(parseSyslog('<13>Feb 29 10:00:00 h t: m', y2025)).timestamp.toISOString(), '2024-02-29T10:00:00.000Z');
});

test('RFC 3164 variants: ISO timestamp, year in the timestamp, fractions, missing hostname, pid, no colon', () => {
  const iso = ok(parseSyslog('<13>2003-08-24T05:14:15Z localhost snarf?', ctx));
  assert.equal(iso.timestamp.toISOString(), '2003-08-24T05:14:15.000Z');
  assert.equal(iso.hostname, 'localhost');
  assert.equal(iso.message, 'snarf?');
  const iso2 = ok(parseSyslog('<13>2012-08-16T14:34:03.123-08:00 127.0.0.1 sshd[42]: Accepted', ctx));
  assert.equal(iso2.timestamp.toISOString(), '2012-08-16T22:34:03.123Z');
  assert.equal(iso2.procId, '42');
  assert.equal(iso2.appName, 'sshd');
  const year = ok(parseSyslog('<13>Jan 23 2021 12:10:16 fw01 kernel: up', ctx));
  assert.equal(year.timestamp.toISOString(), '2021-01-23T12:10:16.000Z');
  const frac = ok(parseSyslog('<13>Oct 11 22:14:15.123 host app: m', ctx));
  assert.equal(frac.timestamp.toISOString(), '2023-10-11T22:14:15.123Z');
  const nohost = ok(parseSyslog("<34>Oct 11 22:14:15 su: 'su root' failed", ctx));
  assert.equal(nohost.hostname, undefined);
  assert.equal(nohost.appName, 'su');
  assert.equal(nohost.message, "'su root' failed");
  const nohostPid = ok(parseSyslog('<34>Oct 11 22:14:15 postfix/smtpd[123]: connect', ctx));
  assert.equal(nohostPid.hostname, undefined);
  assert.equal(nohostPid.appName, 'postfix/smtpd');
  assert.equal(nohostPid.procId, '123');
  const noColon = ok(parseSyslog('<134>Jul 25 09:56:42 syslog.example.com syslogng[9] CEF:0|a|b|c|d|e|1|', ctx));
  assert.equal(noColon.appName, 'syslogng');
  assert.equal(noColon.message, 'CEF:0|a|b|c|d|e|1|');
  const cefSpace = ok(parseSyslog('<134>Aug  3 10:49:35 Barracuda CEF: 0|a|b|c|d|e|1|', ctx));
  assert.equal(cefSpace.hostname, 'Barracuda');
  assert.equal(cefSpace.appName, undefined);
  assert.equal(cefSpace.message, 'CEF: 0|a|b|c|d|e|1|');
  const kv = ok(parseSyslog('<134>Jul 29 06:52:56 Barracuda cat=TR dvc=10.0.0.1', ctx));
  assert.equal(kv.appName, undefined);
  assert.equal(kv.message, 'cat=TR dvc=10.0.0.1');
});

test('a frame without a PRI, or with one out of range, is an error; trailing delimiters are dropped', () => {
  assert.ok('error' in parseSyslog('Use the BFG!', ctx));
  assert.ok('error' in parseSyslog('<192>Oct 11 22:14:15 h t: m', ctx));
  assert.ok('error' in parseSyslog('', ctx));
  assert.equal(ok(parseSyslog('<13>Oct 11 22:14:15 h t: m\r\n', ctx)).message, 'm');
});

test('a "__proto__" SD-ID or parameter is data, not a prototype', () => {
  const p = ok(parseSyslog('<13>1 - - - - - [__proto__ __proto__="x"]', ctx));
  assert.equal(Object.getPrototypeOf(p.structuredData), Object.prototype);
  assert.deepEqual(Object.keys(p.structuredData!), ['__proto__']);
  assert.equal(Object.getOwnPropertyDescriptor(p.structuredData!['__proto__'], '__proto__')?.value, 'x');
});

function neverThrows(frame: string): void {
  const r = parseSyslog(frame, ctx);
  if (!('error' in r)) {
    assert.ok(r.facility >= 0 && r.facility <= 23);
    assert.ok(r.severity >= 0 && r.severity <= 7);
    assert.ok(!Number.isNaN(r.timestamp.getTime()));
  }
}

test('fuzz: parseSyslog never throws on arbitrary strings, bytes as latin1/utf8, and syslog-shaped noise', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), neverThrows), { numRuns: 3000 });
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
      neverThrows(Buffer.from(b).toString('latin1'));
      neverThrows(Buffer.from(b).toString('utf8'));
    }),
    { numRuns: 3000 },
  );
  const piece = fc.constantFrom('<', '>', '1', '13', '<34>', '<165>1 ', ' ', '-', '[', ']', '"', '\\', '=', ':', 'Oct', ' 11 ', '22:14:15', '2003-10-11T22:14:15.003Z', 'x@1', 'a', '[', 'CEF:', '\uFEFF');
  fc.assert(fc.property(fc.array(piece, { maxLength: 40 }), (parts) => neverThrows(parts.join(''))), { numRuns: 5000 });
});
