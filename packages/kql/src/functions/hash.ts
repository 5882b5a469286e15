// Cryptographic hashes of a value's text (its tostring form: hash_md5(datetime(2020-01-01))
// hashes "2020-01-01T00:00:00.0000000Z"), in lower-case hex; and hash(), Kusto's XXH64.
import { scalar } from './registry.ts';
import { text } from './sql-helpers.ts';
import { asLong, xxh64 } from './xxhash.ts';

scalar('hash_sha256', ([x], c) => `sha256(${text(x!, c)})`);
scalar('hash_sha1', ([x], c) => `sha1(${text(x!, c)})`);
scalar('hash_md5', ([x], c) => `md5(${text(x!, c)})`);

/**
 * hash(x): XXH64 of a string's UTF-8 bytes, or of the 8-byte little-endian value of a long,
 * datetime (ticks) or timespan. Other types, and the modulo form (whose handling of negative
 * hashes is not documented), are refused.
 */
scalar('hash', ([x, mod], c) => {
  if (mod !== undefined) return c.unsupported('hash() with a modulo', 'Use abs(hash(x)) % n, or hash(x) % n, whichever you mean.');
  switch (x!.type) {
    case 'string': return asLong(xxh64(`hex(encode(${x!.sql}))`));
    case 'long': case 'timespan': return asLong(xxh64(littleEndian(`CAST(${x!.sql} AS BIGINT)`)));
    case 'datetime': return asLong(xxh64(littleEndian(`(epoch_us(${x!.sql}) * 10 + 621355968000000000)`)));
    default: return c.unsupported(`hash() of a ${x!.type}`, 'Hash its text: hash(tostring(x)).');
  }
});

/** A BIGINT's 8 bytes, least significant first, as hex. */
function littleEndian(value: string): string {
  const h = `lpad(hex(${value}), 16, '0')`;
  return Array.from({ length: 8 }, (_, i) => `substr(${h}, ${(7 - i) * 2 + 1}, 2)`).join(' || ');
}
