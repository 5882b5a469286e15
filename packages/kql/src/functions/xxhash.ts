// XXH64 (seed 0) in DuckDB SQL, for Kusto's hash(): strings are hashed as their UTF-8 bytes,
// datetimes, timespans and longs as their 8-byte little-endian value (checked against the
// documented hash("World") and hash(datetime(2015-01-01))). 64-bit arithmetic is done in HUGEINT
// and reduced modulo 2^64; a value used more than once is bound to a lambda parameter so that
// the expression grows linearly.
const TWO32 = '4294967296::HUGEINT';
const TWO64 = '18446744073709551616::HUGEINT';
const P1 = '11400714785074694791::HUGEINT';
const P2 = '14029467366897019727::HUGEINT';
const P3 = '1609587929392839161::HUGEINT';
const P4 = '9650029242287828579::HUGEINT';
const P5 = '2870177450012600261::HUGEINT';

let names = 0;
/** `body(name)` with `sql` computed once. */
function bind(sql: string, body: (name: string) => string): string {
  const name = `__h${names++}`;
  return `list_transform([${sql}], ${name} -> ${body(name)})[1]`;
}

const add = (a: string, b: string) => `((${a} + ${b}) % ${TWO64})`;
/** a * b mod 2^64 from 32-bit halves (every partial product fits a HUGEINT). */
const mul = (a: string, b: string) => bind(a, (x) => bind(b, (y) =>
  `(((${x} % ${TWO32}) * (${y} % ${TWO32}) + ((((${x} // ${TWO32}) * (${y} % ${TWO32}) + (${x} % ${TWO32}) * (${y} // ${TWO32})) % ${TWO32}) * ${TWO32})) % ${TWO64})`));
const rotl = (a: string, r: number) => bind(a, (x) => `(((${x} * ${2n ** BigInt(r)}::HUGEINT) % ${TWO64}) + (${x} // ${2n ** BigInt(64 - r)}::HUGEINT))`);
const xor = (a: string, b: string) => `xor(${a}, ${b})`;
const shr = (a: string, n: number) => `(${a} // ${2n ** BigInt(n)}::HUGEINT)`;

const round = (acc: string, lane: string) => mul(rotl(add(acc, mul(lane, P2)), 31), P1);
const mergeRound = (acc: string, v: string) => add(mul(xor(acc, round('0::HUGEINT', v)), P1), P4);

/** Little-endian unsigned value of `bytes` bytes at byte offset `at` of a hex string. */
function lane(hex: string, at: string, bytes: number): string {
  const pairs = Array.from({ length: bytes }, (_, i) => `substr(${hex}, (${at} + ${bytes - 1 - i}) * 2 + 1, 2)`);
  return `CAST(CAST(('0x' || ${pairs.join(' || ')}) AS UBIGINT) AS HUGEINT)`;
}

/** XXH64 of the bytes a hex string spells, as a HUGEINT in [0, 2^64). */
export function xxh64(hexSql: string): string {
  names = 0; // the same SQL for the same query
  return bind(hexSql, (hex) => bind(`strlen(${hex}) // 2`, (len) => {
    const stripes = `list_transform(range(${len} // 32), __s -> {'a': ${lane(hex, '__s * 32', 8)}, 'b': ${lane(hex, '__s * 32 + 8', 8)}, 'c': ${lane(hex, '__s * 32 + 16', 8)}, 'd': ${lane(hex, '__s * 32 + 24', 8)}})`;
    const init = `{'a': ${add(P1, P2)}, 'b': ${P2}, 'c': 0::HUGEINT, 'd': (${TWO64} - ${P1})}`;
    const accumulated = `list_reduce(${stripes}, (__acc, __x) -> {'a': ${round('__acc.a', '__x.a')}, 'b': ${round('__acc.b', '__x.b')}, 'c': ${round('__acc.c', '__x.c')}, 'd': ${round('__acc.d', '__x.d')}}, ${init})`;
    const long = bind(accumulated, (v) => {
      const start = add(add(rotl(`${v}.a`, 1), rotl(`${v}.b`, 7)), add(rotl(`${v}.c`, 12), rotl(`${v}.d`, 18)));
      return mergeRound(mergeRound(mergeRound(mergeRound(start, `${v}.a`), `${v}.b`), `${v}.c`), `${v}.d`);
    });
    const seeded = add(`(CASE WHEN ${len} >= 32 THEN ${long} ELSE ${P5} END)`, `CAST(${len} AS HUGEINT)`);
    // The tail: 8-byte lanes, then one 4-byte lane, then single bytes.
    const from = `(${len} // 32 * 32)`;
    const tail = `list_concat(
      list_transform(range((${len} % 32) // 8), __i -> {'k': 8::HUGEINT, 'v': ${lane(hex, `${from} + __i * 8`, 8)}}),
      list_transform(range(CASE WHEN ${len} % 8 >= 4 THEN 1 ELSE 0 END), __i -> {'k': 4::HUGEINT, 'v': ${lane(hex, `${from} + (${len} % 32) // 8 * 8`, 4)}}),
      list_transform(range(${len} % 4), __i -> {'k': 1::HUGEINT, 'v': ${lane(hex, `${len} - ${len} % 4 + __i`, 1)}}))`;
    const step = `CASE __y.k
      WHEN 8 THEN ${add(mul(rotl(xor('__t.v', round('0::HUGEINT', '__y.v')), 27), P1), P4)}
      WHEN 4 THEN ${add(mul(rotl(xor('__t.v', mul('__y.v', P1)), 23), P2), P3)}
      ELSE ${mul(rotl(xor('__t.v', mul('__y.v', P5)), 11), P1)} END`;
    const mixed = `list_reduce(${tail}, (__t, __y) -> {'k': 0::HUGEINT, 'v': ${step}}, {'k': 0::HUGEINT, 'v': ${seeded}}).v`;
    // Avalanche.
    return bind(mixed, (h) => bind(mul(xor(h, shr(h, 33)), P2), (h2) => bind(mul(xor(h2, shr(h2, 29)), P3), (h3) => xor(h3, shr(h3, 32)))));
  }));
}

/** The unsigned 64-bit hash as Kusto's long. */
export const asLong = (h: string) => `list_transform([${h}], __hl -> CAST(CASE WHEN __hl >= 9223372036854775808::HUGEINT THEN __hl - ${TWO64} ELSE __hl END AS BIGINT))[1]`;
