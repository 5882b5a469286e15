import { test } from 'node:test';
import assert from 'node:assert/strict';
import { overT, rows, values } from '../../test/functions-harness.ts';

test('IPv4 parsing, masks and formatting; invalid text is null', async () => {
  assert.deepEqual(await values('parse_ipv4("127.0.0.1")', 'parse_ipv4("192.168.1.1/24")', 'parse_ipv4("256.0.0.1")', 'parse_ipv4("1.2.3")', 'parse_ipv4("1.2.3.4/33")', 'parse_ipv4_mask("10.20.30.40", 24)', 'ipv4_netmask_suffix("192.168.1.1/24")', 'ipv4_netmask_suffix("10.1.2.3")', 'ipv4_netmask_suffix("x")'),
    [2130706433, 3232235776, null, null, null, 169090560, 24, 32, null]);
  assert.deepEqual(await values('format_ipv4("192.168.1.255", 24)', 'format_ipv4(3232236031)', 'format_ipv4_mask("192.168.1.255", 24)', 'format_ipv4_mask("192.168.1.255/20", 32)', 'format_ipv4("x")'),
    ['192.168.1.0', '192.168.1.255', '192.168.1.0/24', '192.168.0.0/20', '']);
  assert.deepEqual(await overT('parse_ipv4(s)'), [null, null]);
});

test('IPv4 comparisons use the shorter prefix', async () => {
  assert.deepEqual(await values('ipv4_compare("192.168.1.1", "192.168.1.255")', 'ipv4_compare("192.168.1.1/24", "192.168.1.255")', 'ipv4_compare("192.168.1.1", "192.168.1.255", 24)', 'ipv4_compare("10.0.0.1", "9.0.0.1")', 'ipv4_compare("x", "9.0.0.1")', 'ipv4_is_match("192.168.1.1/24", "192.168.1.255")', 'ipv4_is_in_range("192.168.1.5", "192.168.1.0/24")', 'ipv4_is_in_range("192.168.2.5", "192.168.1.0/24")'),
    [-1, 0, 0, 1, null, true, true, false]);
  assert.deepEqual(await rows('datatable(ip:string)["10.1.2.3", "192.168.1.5", "1.1.1.1", "bad"] | project ipv4_is_in_any_range(ip, dynamic(["192.168.1.1/16", "10.0.0.1/8"])), ipv4_is_in_any_range(ip, "1.1.1.0/24", "10.0.0.0/8"), ipv4_is_private(ip)'),
    [[true, true, true], [true, false, true], [false, true, false], [null, null, null]]);
});

test('IPv4 addresses inside text are whole tokens', async () => {
  const line = '"05:04:54 127.0.0.1 GET /favicon.ico 404"';
  assert.deepEqual(await values(`has_ipv4(${line}, "127.0.0.1")`, 'has_ipv4("05:04:54127.0.0.1 GET", "127.0.0.1")', 'has_ipv4("see 10.0.0.1.", "10.0.0.1")', 'has_ipv4("127.0.0.256", "127.0.0.256")', `has_ipv4_prefix(${line}, "127.0.")`, `has_ipv4_prefix(${line}, "127.0")`, `has_any_ipv4(${line}, "127.0.0.2", "127.0.0.1")`, `has_any_ipv4(${line}, dynamic(["127.0.0.1"]))`, `has_any_ipv4_prefix(${line}, dynamic(["10.", "127.0.0."]))`, 'has_any_ipv4_prefix("1.2.3.4", "1.2.3.4")'),
    [true, false, true, false, true, false, true, true, true, true]);
});

// Addresses or prefixes known only when running (a function's parameter, toscalar()): the same
// answers as the same values written as literals.
test('has_ipv4 and has_any_ipv4(_prefix) with computed addresses', async () => {
  const line = '"05:04:54 127.0.0.1 GET /favicon.ico 404"';
  const q = (needles: string, expression: string) => rows(`datatable(n:dynamic)[${needles}] | extend line = ${line} | project ${expression}`);
  assert.deepEqual(await q('dynamic(["10.", "127.0.0."]), dynamic(["127.0"]), dynamic(["127.0.0.1"]), dynamic(["127.0.0.10"]), dynamic([]), dynamic(null)',
    'has_any_ipv4_prefix(line, n), has_any_ipv4(line, n), has_ipv4(line, tostring(n[0])), has_ipv4_prefix(line, tostring(n[0])), has_any_ipv4_prefix(line, n, "1.2.")'),
  [[true, false, false, false, true], [false, false, false, false, false], [true, true, true, true, true], [false, false, false, false, false], [false, false, false, false, false], [false, false, false, false, false]]);
  assert.deepEqual(await rows(`let seen = toscalar(datatable(ip:string)["10.0.0.1", "127.0.0.1", "bad"] | summarize make_set(ip)); print has_any_ipv4(${line}, seen), has_any_ipv4("to 10.0.0.1:443", seen), has_any_ipv4("10.0.0.2", seen)`),
    [[true, true, false]]);
});

test('IPv6: IPv4 text maps to ::ffff:a.b.c.d with its prefix moved by 96 bits', async () => {
  assert.deepEqual(await values('parse_ipv6("::ffff:192.168.1.1")', 'parse_ipv6("192.168.255.255/24")', 'parse_ipv6("fe80::85d:e82c:9446:7994/120")', 'parse_ipv6("1::2::3")', 'parse_ipv6("::192.168.255.255")', 'parse_ipv6_mask("fe80::85d:e82c:9446:7994", 120)'),
    ['0000:0000:0000:0000:0000:ffff:c0a8:0101', '0000:0000:0000:0000:0000:ffff:c0a8:ff00', 'fe80:0000:0000:0000:085d:e82c:9446:7900', '', '0000:0000:0000:0000:0000:ffff:c0a8:ffff', 'fe80:0000:0000:0000:085d:e82c:9446:7900']);
  assert.deepEqual(await values('ipv6_compare("fe80::85d:e82c:9446:7994/120", "fe80::85d:e82c:9446:7998")', 'ipv6_compare("fe80::1", "fe80::2")', 'ipv6_compare("192.168.1.1", "::ffff:c0a8:0101")', 'ipv6_is_match("fe80::85d:e82c:9446:7994", "fe80::85d:e82c:9446:7995", 127)', 'ipv6_is_in_range("a5e:f127:8a9d:146d:e102:b5d3:c755:abcd", "a5e:f127:8a9d:146d:e102:b5d3:c755:0000/112")', 'ipv6_is_in_any_range("::1", dynamic(["fe80::/10", "::1/128"]))', 'ipv6_compare("x", "::1")'),
    [0, -1, 0, true, true, true, null]);
});
