// IP address functions. IPv4 addresses are BIGINTs (with an optional /prefix), IPv6 addresses
// 32 lower-case hex digits; IPv4 text used as IPv6 is the mapped address ::ffff:a.b.c.d with its
// prefix moved by 96 bits. A prefix given twice (in the text and as an argument) takes the smaller.
import { literalOf, scalar, type SqlArg, type SqlContext } from './registry.ts';
import { jsonList, literalArray, long, text } from './sql-helpers.ts';

const V4 = String.raw`^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:/(\d{1,2}))?$`;

/** `sql` bound once to `name` for `body` (a one-element list and a lambda). */
const bind = (sql: string, name: string, body: string) => `list_transform([${sql}], ${name} -> ${body})[1]`;

/** An IPv4 text -> {v: BIGINT address or NULL, p: prefix length}. */
function v4(textSql: string): string {
  const parts = `regexp_extract(trim(${textSql}), '${V4}', ['a', 'b', 'c', 'd', 'p'])`;
  return bind(parts, '__ip', `{'v': CASE WHEN regexp_matches(trim(${textSql}), '${V4}') AND CAST(__ip.a AS INTEGER) <= 255 AND CAST(__ip.b AS INTEGER) <= 255 AND CAST(__ip.c AS INTEGER) <= 255 AND CAST(__ip.d AS INTEGER) <= 255 AND (__ip.p = '' OR CAST(__ip.p AS INTEGER) <= 32) THEN CAST(__ip.a AS BIGINT) * 16777216 + CAST(__ip.b AS BIGINT) * 65536 + CAST(__ip.c AS BIGINT) * 256 + CAST(__ip.d AS BIGINT) END, 'p': CASE WHEN __ip.p = '' THEN 32 ELSE CAST(__ip.p AS INTEGER) END}`);
}

/** The address with all but the first n bits cleared. */
const mask4 = (v: string, n: string) => `(${v} & (4294967295 - ((CAST(1 AS BIGINT) << (32 - greatest(least(${n}, 32), 0))) - 1)))`;

/** An IPv4 argument: text is parsed; a number is an address already. */
function ipv4(a: SqlArg, c: SqlContext): string {
  if (a.type === 'long' || a.type === 'int') return `{'v': CASE WHEN ${a.sql} BETWEEN 0 AND 4294967295 THEN CAST(${a.sql} AS BIGINT) END, 'p': 32}`;
  return v4(text(a, c));
}

const dotted = (v: string) => `CAST(${v} >> 24 AS VARCHAR) || '.' || CAST((${v} >> 16) & 255 AS VARCHAR) || '.' || CAST((${v} >> 8) & 255 AS VARCHAR) || '.' || CAST(${v} & 255 AS VARCHAR)`;

scalar('parse_ipv4', ([x], c) => bind(ipv4(x!, c), '__a', mask4('__a.v', '__a.p')));
scalar('parse_ipv4_mask', ([x, p], c) => bind(ipv4(x!, c), '__a', `CASE WHEN ${long(p!, c)} BETWEEN 0 AND 32 THEN ${mask4('__a.v', `least(__a.p, ${long(p!, c)})`)} END`));
scalar('ipv4_netmask_suffix', ([x], c) => bind(ipv4(x!, c), '__a', `CASE WHEN __a.v IS NOT NULL THEN CAST(__a.p AS INTEGER) END`));

/** -1/0/1 comparing two IPv4 addresses on their common prefix; null when one is not an address. */
function compare4(a: SqlArg, b: SqlArg, p: SqlArg | undefined, c: SqlContext): string {
  const bits = p === undefined ? 'least(__a.p, __b.p)' : `least(__a.p, __b.p, ${long(p, c)})`;
  return bind(ipv4(a, c), '__a', bind(ipv4(b, c), '__b', `CAST(sign(${mask4('__a.v', bits)} - ${mask4('__b.v', bits)}) AS BIGINT)`));
}
scalar('ipv4_compare', ([a, b, p], c) => compare4(a!, b!, p, c));
scalar('ipv4_is_match', ([a, b, p], c) => `(${compare4(a!, b!, p, c)} = 0)`);
scalar('ipv4_is_in_range', ([a, range], c) => `(${compare4(a!, range!, undefined, c)} = 0)`);

/** Ranges given as strings and/or dynamic arrays of strings. */
function ranges(args: SqlArg[], c: SqlContext): { literal: string[]; lists: string[] } {
  const literal: string[] = [];
  const lists: string[] = [];
  for (const a of args) {
    const items = literalArray(a);
    if (items !== undefined) literal.push(...items.map((i) => (typeof i === 'string' ? c.str(i) : c.str(JSON.stringify(i)))));
    else if (a.type === 'dynamic') lists.push(`list_transform(${jsonList(a.sql)}, __r -> json_extract_string(__r, '$'))`);
    else literal.push(text(a, c));
  }
  return { literal, lists };
}

scalar('ipv4_is_in_any_range', ([a, ...rest], c) => {
  const { literal, lists } = ranges(rest, c);
  const all = `flatten([[${literal.join(', ')}]::VARCHAR[], ${lists.join(', ')}])`;
  const inRange = bind(v4('__r'), '__b', `sign(${mask4('__a.v', 'least(__a.p, __b.p)')} - ${mask4('__b.v', 'least(__a.p, __b.p)')}) = 0`);
  return bind(ipv4(a!, c), '__a', `CASE WHEN __a.v IS NOT NULL THEN coalesce(len(list_filter(${all}, __r -> ${inRange})) > 0, FALSE) END`);
});

/** RFC 1918 private ranges: 10/8, 172.16/12, 192.168/16 (the address itself, its own prefix aside). */
scalar('ipv4_is_private', ([x], c) => bind(ipv4(x!, c), '__a', `CASE WHEN __a.v IS NOT NULL THEN (${mask4('__a.v', '8')} = 167772160 OR ${mask4('__a.v', '12')} = 2886729728 OR ${mask4('__a.v', '16')} = 3232235520) END`));

scalar('format_ipv4', ([x, p], c) => bind(ipv4(x!, c), '__a', `CASE WHEN __a.v IS NOT NULL${p === undefined ? '' : ` AND ${long(p, c)} BETWEEN 0 AND 32`} THEN ${bind(mask4('__a.v', p === undefined ? '__a.p' : `least(__a.p, ${long(p, c)})`), '__m', dotted('__m'))} END`), { nullableString: true });
scalar('format_ipv4_mask', ([x, p], c) => {
  const bits = p === undefined ? '__a.p' : `least(__a.p, ${long(p, c)})`;
  return bind(ipv4(x!, c), '__a', `CASE WHEN __a.v IS NOT NULL${p === undefined ? '' : ` AND ${long(p, c)} BETWEEN 0 AND 32`} THEN ${bind(mask4('__a.v', bits), '__m', dotted('__m'))} || '/' || CAST(${bits} AS VARCHAR) END`);
}, { nullableString: true });

// ---- IPv4 addresses inside text ---------------------------------------------------------

/**
 * The IPv4 addresses in a text: runs of letters, digits and dots that are exactly an address
 * (dots at either end dropped), so "05:04:54127.0.0.1" holds none and "at 1.2.3.4." holds one.
 */
const addressesIn = (source: string) => `list_filter(list_transform(regexp_extract_all(${source}, '[0-9A-Za-z.]+', 0), __t -> trim(__t, '.')), __t -> regexp_matches(__t, '^\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}$') AND ${v4('__t')}.v IS NOT NULL)`;

/** Literal needles also give a cheap substring test that runs first. */
function needles(args: SqlArg[], c: SqlContext): string[] | undefined {
  const out: string[] = [];
  for (const a of args) {
    const items = literalArray(a);
    const v = literalOf(a);
    if (items !== undefined) out.push(...items.map(String));
    else if (typeof v === 'string') out.push(v);
    else return undefined;
  }
  return out;
}

function hasAddress(source: SqlArg, args: SqlArg[], c: SqlContext, prefix: boolean): string {
  const list = needles(args, c);
  if (list === undefined) return c.unsupported(`has_${prefix ? 'any_ipv4_prefix' : 'ipv4'} with computed addresses`, 'List the addresses or prefixes as literals.');
  const usable = list.filter((n) => (prefix ? /^\d{1,3}\.(\d{1,3}\.){0,2}$/.test(n) || /^\d{1,3}(\.\d{1,3}){3}$/.test(n) : /^\d{1,3}(\.\d{1,3}){3}$/.test(n)));
  if (usable.length === 0) return 'FALSE';
  const s = text(source, c);
  const pre = `(${usable.map((n) => `contains(${s}, ${c.str(n)})`).join(' OR ')})`;
  // A prefix ends with a dot ("10.0.") or is a whole address; an address matches by value.
  const test = prefix
    ? usable.map((n) => (n.endsWith('.') ? `starts_with(__t, ${c.str(n)})` : `__t = ${c.str(n)}`)).join(' OR ')
    : `list_contains([${usable.map((n) => `${v4(c.str(n))}.v`).join(', ')}], ${v4('__t')}.v)`;
  return `(${pre} AND len(list_filter(${addressesIn(s)}, __t -> ${test})) > 0)`;
}
scalar('has_ipv4', ([s, ip], c) => hasAddress(s!, [ip!], c, false));
scalar('has_any_ipv4', ([s, ...ips], c) => hasAddress(s!, ips, c, false));
scalar('has_ipv4_prefix', ([s, p], c) => hasAddress(s!, [p!], c, true));
scalar('has_any_ipv4_prefix', ([s, ...ps], c) => hasAddress(s!, ps, c, true));

// ---- IPv6 -------------------------------------------------------------------------------

/** An IP text (v6, or v4 as ::ffff:a.b.c.d) -> {h: 32 hex digits or NULL, p: prefix bits}. */
function v6(textSql: string): string {
  const raw = `lower(trim(${textSql}))`;
  // "::a.b.c.d" is read as the IPv4 address a.b.c.d (its prefix counted in IPv4 bits), as Kusto does.
  const address = `regexp_replace(split_part(${raw}, '/', 1), '^::(\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3})$', '\\1')`;
  const given = `split_part(${raw}, '/', 2)`;
  const isV4 = `regexp_matches(${address}, '^\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}$')`;
  // A trailing dotted quad becomes two hex groups.
  const quad = `regexp_extract(${address}, '(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$', ['a', 'b', 'c', 'd'])`;
  const groupsOfQuad = bind(quad, '__q', `CASE WHEN CAST(__q.a AS INTEGER) <= 255 AND CAST(__q.b AS INTEGER) <= 255 AND CAST(__q.c AS INTEGER) <= 255 AND CAST(__q.d AS INTEGER) <= 255 THEN printf('%x:%x', CAST(__q.a AS INTEGER) * 256 + CAST(__q.b AS INTEGER), CAST(__q.c AS INTEGER) * 256 + CAST(__q.d AS INTEGER)) END`);
  const hexForm = `CASE WHEN ${isV4} THEN '::ffff:' || ${groupsOfQuad} WHEN strpos(${address}, '.') > 0 THEN regexp_replace(${address}, '\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}$', ${groupsOfQuad}) ELSE ${address} END`;
  const side = (s: string) => `CASE WHEN ${s} = '' THEN []::VARCHAR[] ELSE string_split(${s}, ':') END`;
  const groups = `CASE WHEN strpos(__x, '::') > 0 THEN list_concat(${side(`split_part(__x, '::', 1)`)}, list_transform(range(greatest(8 - len(${side(`split_part(__x, '::', 1)`)}) - len(${side(`split_part(__x, '::', 2)`)}), 0)), __z -> '0'), ${side(`split_part(__x, '::', 2)`)}) ELSE string_split(__x, ':') END`;
  const hex = bind(groups, '__g', `CASE WHEN len(__g) = 8 AND len(list_filter(__g, __e -> NOT regexp_matches(__e, '^[0-9a-f]{1,4}$'))) = 0 AND (length(__x) - length(replace(__x, '::', ''))) <= 2 THEN array_to_string(list_transform(__g, __e -> lpad(__e, 4, '0')), '') END`);
  const bits = `CASE WHEN ${given} = '' THEN 128 WHEN NOT regexp_matches(${given}, '^\\d{1,3}$') THEN NULL WHEN ${isV4} THEN least(96 + CAST(${given} AS INTEGER), 128) ELSE least(CAST(${given} AS INTEGER), 128) END`;
  return `{'h': ${bind(hexForm, '__x', hex)}, 'p': ${bits}}`;
}

/** The hex address with all but the first n bits cleared. */
const mask6 = (h: string, bits: string) => mask6Clamped(h, `greatest(least(${bits}, 128), 0)`);
const mask6Clamped = (h: string, n: string) => `(substr(${h}, 1, ${n} // 4) || CASE WHEN ${n} % 4 = 0 THEN '' ELSE lower(hex(CAST(('0x' || substr(${h}, ${n} // 4 + 1, 1)) AS INTEGER) & (16 - (1 << (4 - ${n} % 4))))) END || repeat('0', 32 - ${n} // 4 - CASE WHEN ${n} % 4 = 0 THEN 0 ELSE 1 END))`;
const grouped = (h: string) => `array_to_string(list_transform(range(8), __i -> substr(${h}, __i * 4 + 1, 4)), ':')`;

scalar('parse_ipv6', ([x], c) => bind(v6(text(x!, c)), '__a', `CASE WHEN __a.h IS NOT NULL AND __a.p IS NOT NULL THEN ${grouped(mask6('__a.h', '__a.p'))} END`), { nullableString: true });
scalar('parse_ipv6_mask', ([x, p], c) => bind(v6(text(x!, c)), '__a', `CASE WHEN __a.h IS NOT NULL AND __a.p IS NOT NULL AND ${long(p!, c)} BETWEEN 0 AND 128 THEN ${grouped(mask6('__a.h', `least(__a.p, ${long(p!, c)})`))} END`), { nullableString: true });

function compare6(a: SqlArg, b: SqlArg, p: SqlArg | undefined, c: SqlContext): string {
  const bits = p === undefined ? 'least(__a.p, __b.p)' : `least(__a.p, __b.p, ${long(p, c)})`;
  return bind(v6(text(a, c)), '__a', bind(v6(text(b, c)), '__b', `CASE WHEN __a.h IS NOT NULL AND __b.h IS NOT NULL THEN (CASE WHEN ${mask6('__a.h', bits)} < ${mask6('__b.h', bits)} THEN -1 WHEN ${mask6('__a.h', bits)} > ${mask6('__b.h', bits)} THEN 1 ELSE 0 END) END`));
}
scalar('ipv6_compare', ([a, b, p], c) => `CAST(${compare6(a!, b!, p, c)} AS BIGINT)`);
scalar('ipv6_is_match', ([a, b, p], c) => `(${compare6(a!, b!, p, c)} = 0)`);
scalar('ipv6_is_in_range', ([a, range], c) => `(${compare6(a!, range!, undefined, c)} = 0)`);
scalar('ipv6_is_in_any_range', ([a, ...rest], c) => {
  const { literal, lists } = ranges(rest, c);
  const all = `flatten([[${literal.join(', ')}]::VARCHAR[], ${lists.join(', ')}])`;
  const inRange = bind(v6('__r'), '__b', `${mask6('__a.h', 'least(__a.p, __b.p)')} = ${mask6('__b.h', 'least(__a.p, __b.p)')}`);
  return bind(v6(text(a!, c)), '__a', `CASE WHEN __a.h IS NOT NULL THEN coalesce(len(list_filter(${all}, __r -> ${inRange})) > 0, FALSE) END`);
});
