// uniqueString(): ARM hashes the string arguments joined with '-' (UTF-8)
// with a 64-bit MurmurHash variant (two 32-bit lanes in the style of
// MurmurHash3 x86, seed 0) and writes the 64-bit result as 13 characters of
// lower-case base32 (a-z, 2-7), five bits at a time from the top.

const C1 = 0x239b961b;
const C2 = 0xab0e9789;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

function rotl(value: number, bits: number): number {
  return ((value << bits) | (value >>> (32 - bits))) >>> 0;
}

function fmix(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** Little-endian word from up to four bytes starting at `start` (missing bytes are zero). */
function word(data: Uint8Array, start: number, end: number): number {
  let value = 0;
  for (let i = Math.min(end, start + 4) - 1; i >= start; i -= 1) value = ((value << 8) | (data[i] as number)) >>> 0;
  return value;
}

function mixK1(k: number): number {
  return Math.imul(rotl(Math.imul(k, C1) >>> 0, 15), C2) >>> 0;
}

function mixK2(k: number): number {
  return Math.imul(rotl(Math.imul(k, C2) >>> 0, 17), C1) >>> 0;
}

export function murmurHash64(data: Uint8Array, seed = 0): bigint {
  const length = data.length;
  let h1 = seed >>> 0;
  let h2 = seed >>> 0;
  let i = 0;
  for (; i + 8 <= length; i += 8) {
    h1 = (h1 ^ mixK1(word(data, i, length))) >>> 0;
    h1 = (rotl(h1, 19) + h2) >>> 0;
    h1 = (Math.imul(h1, 5) + 0x561ccd1b) >>> 0;
    h2 = (h2 ^ mixK2(word(data, i + 4, length))) >>> 0;
    h2 = (rotl(h2, 13) + h1) >>> 0;
    h2 = (Math.imul(h2, 5) + 0x0bcaa747) >>> 0;
  }
  const remaining = length - i;
  if (remaining > 0) {
    h1 = (h1 ^ mixK1(word(data, i, length))) >>> 0;
    if (remaining > 4) h2 = (h2 ^ mixK2(word(data, i + 4, length))) >>> 0;
  }
  h1 = (h1 ^ length) >>> 0;
  h2 = (h2 ^ length) >>> 0;
  h1 = (h1 + h2) >>> 0;
  h2 = (h2 + h1) >>> 0;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h1 = (h1 + h2) >>> 0;
  h2 = (h2 + h1) >>> 0;
  return (BigInt(h2) << 32n) | BigInt(h1);
}

/** The value of the template function uniqueString(parts...). */
export function uniqueString(parts: readonly string[]): string {
  let hash = murmurHash64(Buffer.from(parts.join('-'), 'utf8'));
  let out = '';
  for (let i = 0; i < 13; i += 1) {
    out += BASE32[Number(hash >> 59n)];
    hash = (hash << 5n) & 0xffffffffffffffffn;
  }
  return out;
}
