// IP address functions. IPv4 addresses are BIGINTs (with an optional /prefix), IPv6 addresses
// 32 lower-case hex digits; IPv4 text used as IPv6 is the mapped address ::ffff:a.b.c.d with its
// prefix moved by 96 bits. A prefix given twice (in the text and as an argument) takes the smaller.
import { literalOf, scalar, type SqlArg, type SqlContext } from './registry.ts';
import { jsonList, literalArray, long, text } from './sql-helpers.ts';

/** An octet: 0-255, up to three digits. Spaces around the address are allowed. */
const OCTET = String.raw`(25[0-5]|2[0-4]\d|[01]?\d?\d)`;
const V4 = `^\\s*${OCTET}(\\.${OCTET}){3}(/(3[0-2]|[12]?\\d))?\\s*$`;

/** `sql` bound once to `name` for `body` (a one-element list and a lambda). */
const bind = (sql: string, name: string, body: string) => `list_transform([${sql}], ${name} -> ${body})[1]`;

/**
 * An IPv4 text -> {v: BIGINT address or NULL, p: prefix length}. One regular expression
 * validates; the octets are then cut with split_part (casts ignore the spaces), several times
 * faster than extracting regex groups. `t` is repeated: pass a column or a bound name.
 */
function v4(t: string): string {
  const octet = (i: number) => (i < 4 ? `CAST(split_part(${t}, '.', ${i}) AS BIGINT)` : `CAST(split_part(split_part(${t}, '.', 4), '/', 1) AS BIGINT)`);
  return `{'v': CASE WHEN regexp_matches(${t}, '${V4}') THEN ${octet(1)} * 16777216 + ${octet(2)} * 65536 + ${octet(3)} * 256 + ${octet(4)} END, 'p': CASE WHEN strpos(${t}, '/') > 0 THEN TRY_CAST(split_part(${t}, '/', 2) AS INTEGER) ELSE 32 END}`;
}

/** The address with all but the first n bits cleared. */
const mask4 = (v: string, n: string) => `(${v} & (4294967295 - ((CAST(1 AS BIGINT) << (32 - greatest(least(${n}, 32), 0))) - 1)))`;

/** An IPv4 text parsed when compiling (the same rules as v4()). */
export function parseIpv4Literal(text: string): { v: bigint | null; p: number } {
  const t = text.trim();
  if (!new RegExp(V4).test(t)) return { v: null, p: 32 };
  const [address, prefix] = t.split('/');
  const v = address!.split('.').reduce((acc, o) => acc * 256n + BigInt(o), 0n);
  return { v, p: prefix === undefined ? 32 : Number(prefix) };
}

/** An address and its prefix length, as SQL. */
interface Ipv4 { v: string; p: string }

/**
 * `body` over an IPv4 argument: a literal is parsed when compiling (constants in the SQL), a
 * number is an address already, text is parsed per row and bound once under `name`.
 */
function withIpv4(a: SqlArg, c: SqlContext, name: string, body: (ip: Ipv4) => string): string {
  if (a.type === 'long' || a.type === 'int') return body({ v: `(CASE WHEN ${a.sql} BETWEEN 0 AND 4294967295 THEN CAST(${a.sql} AS BIGINT) END)`, p: '32' });
  const v = literalOf(a);
  if (typeof v === 'string') {
    const parsed = parseIpv4Literal(v);
    return body({ v: `CAST(${parsed.v === null ? 'NULL' : String(parsed.v)} AS BIGINT)`, p: String(parsed.p) });
  }
  const parsed = (t: string) => bind(v4(t), name, body({ v: `${name}.v`, p: `${name}.p` }));
  // A computed text is bound first, so that v4() does not compute it once per use.
  return a.scalar.kind === 'column' && a.type === 'string' ? parsed(a.sql) : bind(text(a, c), `${name}_t`, parsed(`${name}_t`));
}

const dotted = (v: string) => `CAST(${v} >> 24 AS VARCHAR) || '.' || CAST((${v} >> 16) & 255 AS VARCHAR) || '.' || CAST((${v} >> 8) & 255 AS VARCHAR) || '.' || CAST(${v} & 255 AS VARCHAR)`;

scalar('parse_ipv4', ([x], c) => withIpv4(x!, c, '__a', (a) => mask4(a.v, a.p)));
scalar('parse_ipv4_mask', ([x, p], c) => withIpv4(x!, c, '__a', (a) => `CASE WHEN ${long(p!, c)} BETWEEN 0 AND 32 THEN ${mask4(a.v, `least(${a.p}, ${long(p!, c)})`)} END`));
scalar('ipv4_netmask_suffix', ([x], c) => withIpv4(x!, c, '__a', (a) => `CASE WHEN ${a.v} IS NOT NULL THEN CAST(${a.p} AS INTEGER) END`));

/** -1/0/1 comparing two IPv4 addresses on their common prefix; null when one is not an address. */
function compare4(a: SqlArg, b: SqlArg, p: SqlArg | undefined, c: SqlContext): string {
  return withIpv4(a, c, '__a', (x) => withIpv4(b, c, '__b', (y) => {
    const bits = p === undefined ? `least(${x.p}, ${y.p})` : `least(${x.p}, ${y.p}, ${long(p, c)})`;
    return `CAST(sign(${mask4(x.v, bits)} - ${mask4(y.v, bits)}) AS BIGINT)`;
  }));
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
  return withIpv4(a!, c, '__a', (x) => {
    const inRange = bind(v4('__r'), '__b', `sign(${mask4(x.v, `least(${x.p}, __b.p)`)} - ${mask4('__b.v', `least(${x.p}, __b.p)`)}) = 0`);
    return `CASE WHEN ${x.v} IS NOT NULL THEN coalesce(len(list_filter(${all}, __r -> ${inRange})) > 0, FALSE) END`;
  });
});

/** RFC 1918 private ranges: 10/8, 172.16/12, 192.168/16 (the address itself, its own prefix aside). */
scalar('ipv4_is_private', ([x], c) => withIpv4(x!, c, '__a', (a) => `CASE WHEN ${a.v} IS NOT NULL THEN (${mask4(a.v, '8')} = 167772160 OR ${mask4(a.v, '12')} = 2886729728 OR ${mask4(a.v, '16')} = 3232235520) END`));

scalar('format_ipv4', ([x, p], c) => withIpv4(x!, c, '__a', (a) => `CASE WHEN ${a.v} IS NOT NULL${p === undefined ? '' : ` AND ${long(p, c)} BETWEEN 0 AND 32`} THEN ${bind(mask4(a.v, p === undefined ? a.p : `least(${a.p}, ${long(p, c)})`), '__m', dotted('__m'))} END`), { nullableString: true });
scalar('format_ipv4_mask', ([x, p], c) => {
  return withIpv4(x!, c, '__a', (a) => {
    const bits = p === undefined ? a.p : `least(${a.p}, ${long(p, c)})`;
    return `CASE WHEN ${a.v} IS NOT NULL${p === undefined ? '' : ` AND ${long(p, c)} BETWEEN 0 AND 32`} THEN ${bind(mask4(a.v, bits), '__m', dotted('__m'))} || '/' || CAST(${bits} AS VARCHAR) END`;
  });
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

/** What an address to look for looks like; a prefix may also end with a dot ("10.", "10.1."). */
const ADDRESS = String.raw`^\d{1,3}(\.\d{1,3}){3}$`;
const PREFIX = String.raw`^\d{1,3}\.(\d{1,3}\.){0,2}$`;

function hasAddress(source: SqlArg, args: SqlArg[], c: SqlContext, prefix: boolean): string {
  const list = needles(args, c);
  if (list === undefined) return hasComputedAddress(source, args, c, prefix);
  const usable = list.filter((n) => new RegExp(ADDRESS).test(n) || (prefix && new RegExp(PREFIX).test(n)));
  if (usable.length === 0) return 'FALSE';
  const s = text(source, c);
  const pre = `(${usable.map((n) => `contains(${s}, ${c.str(n)})`).join(' OR ')})`;
  // A prefix ends with a dot ("10.0.") or is a whole address; an address matches by value.
  const test = prefix
    ? usable.map((n) => (n.endsWith('.') ? `starts_with(__t, ${c.str(n)})` : `__t = ${c.str(n)}`)).join(' OR ')
    : `list_contains([${usable.map((n) => String(parseIpv4Literal(n).v)).join(', ')}]::BIGINT[], ${v4('__t')}.v)`;
  return `(${pre} AND len(list_filter(${addressesIn(s)}, __t -> ${test})) > 0)`;
}
/**
 * The same tests when the addresses or prefixes are known only when running (a function's
 * parameter, a let of set_union(), toscalar()): the list is built per row, invalid entries
 * left out as from a literal list.
 */
function hasComputedAddress(source: SqlArg, args: SqlArg[], c: SqlContext, prefix: boolean): string {
  const { literal, lists } = ranges(args, c);
  const all = `flatten([[${literal.join(', ')}]::VARCHAR[], ${lists.map((l) => `coalesce(${l}, []::VARCHAR[])`).join(', ')}])`;
  const valid = `regexp_matches(__n, '${ADDRESS}')${prefix ? ` OR regexp_matches(__n, '${PREFIX}')` : ''}`;
  const s = text(source, c);
  const matches = prefix ? `CASE WHEN ends_with(__n, '.') THEN starts_with(__t, __n) ELSE __t = __n END` : `${v4('__n')}.v = ${v4('__t')}.v`;
  const found = `len(list_filter(${addressesIn(s)}, __t -> len(list_filter(__ns, __n -> ${matches})) > 0)) > 0`;
  return bind(`list_filter(${all}, __n -> coalesce(${valid}, FALSE))`, '__ns', `(len(list_filter(__ns, __n -> contains(${s}, __n))) > 0 AND ${found})`);
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
