// Cryptographic hashes of a value's text (its tostring form: hash_md5(datetime(2020-01-01))
// hashes "2020-01-01T00:00:00.0000000Z"), in lower-case hex. Kusto's hash() is xxhash64, which
// DuckDB does not have: it is left out of the catalogue (and so refused) rather than emulated.
import { scalar } from './registry.ts';
import { text } from './sql-helpers.ts';

scalar('hash_sha256', ([x], c) => `sha256(${text(x!, c)})`);
scalar('hash_sha1', ([x], c) => `sha1(${text(x!, c)})`);
scalar('hash_md5', ([x], c) => `md5(${text(x!, c)})`);
