// A small ustar writer and reader for `vigil backup` archives (.tar, .tar.gz/.tgz): regular
// files only, sizes past 8 GiB in GNU base-256 (log store files grow large), readable by tar(1).
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Writable } from 'node:stream';

const BLOCK = 512;

function octal(value: number, length: number): string {
  return `${value.toString(8).padStart(length - 1, '0')}\0`;
}

/** The 512-byte header of a regular file. */
export function tarHeader(name: string, size: number, mtime: Date, mode = 0o600): Buffer {
  const header = Buffer.alloc(BLOCK);
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', 155);
    if (cut <= 0 || Buffer.byteLength(name.slice(cut + 1)) > 100) throw new Error(`${name}: the name is too long for a tar archive`);
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
  }
  header.write(base, 0, 100, 'utf8');
  header.write(octal(mode, 8), 100, 'ascii');
  header.write(octal(0, 8), 108, 'ascii');
  header.write(octal(0, 8), 116, 'ascii');
  if (size < 8 ** 11) header.write(octal(size, 12), 124, 'ascii');
  else {
    // GNU base-256: the first byte's high bit set, the size big-endian in the rest.
    header[124] = 0x80;
    let v = BigInt(size);
    for (let i = 135; i > 124; i--) {
      header[i] = Number(v & 0xffn);
      v >>= 8n;
    }
  }
  header.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136, 'ascii');
  header.write('        ', 148, 'ascii');
  header.write('0', 156, 'ascii');
  header.write('ustar\0', 257, 'ascii');
  header.write('00', 263, 'ascii');
  header.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return header;
}

async function write(out: Writable, chunk: Buffer): Promise<void> {
  if (!out.write(chunk)) await new Promise<void>((resolve, reject) => {
    const done = () => { out.off('error', fail); resolve(); };
    const fail = (error: Error) => { out.off('drain', done); reject(error); };
    out.once('drain', done);
    out.once('error', fail);
  });
}

/** Appends a file to the archive stream; returns its SHA-256. */
export async function tarAddFile(out: Writable, name: string, file: string, size: number, mtime: Date, advance: (n: number) => void): Promise<string> {
  await write(out, tarHeader(name, size, mtime));
  const hash = createHash('sha256');
  let written = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    // The size in the header is what the archive holds: a file that grew meanwhile is cut there.
    const part = written + chunk.length > size ? chunk.subarray(0, size - written) : chunk;
    hash.update(part);
    await write(out, part);
    written += part.length;
    advance(part.length);
    if (written === size) break;
  }
  if (written !== size) throw new Error(`${file} shrank while it was archived (${written} of ${size} bytes)`);
  const pad = (BLOCK - (size % BLOCK)) % BLOCK;
  if (pad > 0) await write(out, Buffer.alloc(pad));
  return hash.digest('hex');
}

export async function tarAddBuffer(out: Writable, name: string, data: Buffer, mtime: Date): Promise<void> {
  await write(out, tarHeader(name, data.length, mtime));
  await write(out, data);
  const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
  if (pad > 0) await write(out, Buffer.alloc(pad));
}

export async function tarEnd(out: Writable): Promise<void> {
  await write(out, Buffer.alloc(2 * BLOCK));
}

export class TarFormatError extends Error {}

function parseSize(field: Buffer): number {
  if ((field[0]! & 0x80) !== 0) {
    let v = 0n;
    for (let i = 1; i < field.length; i++) v = (v << 8n) | BigInt(field[i]!);
    return Number(v);
  }
  const text = field.toString('ascii').replace(/[\0 ]+$/g, '').trim();
  if (!/^[0-7]*$/.test(text)) throw new TarFormatError('a header has a size that is not a number');
  return text === '' ? 0 : parseInt(text, 8);
}

function checksumOk(header: Buffer): boolean {
  const stored = parseInt(header.subarray(148, 156).toString('ascii').replace(/[\0 ]/g, ''), 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : header[i]!;
  return stored === sum;
}

export interface ExtractedFile { name: string; bytes: number; sha256: string }

/**
 * Extracts the regular files of an archive stream under `dir`, hashing each; names that would
 * leave `dir` are refused. A damaged header or an archive that ends early is a TarFormatError.
 */
export async function tarExtract(input: AsyncIterable<Buffer>, dir: string, advance: (n: number) => void): Promise<ExtractedFile[]> {
  const files: ExtractedFile[] = [];
  let buffer: Buffer = Buffer.alloc(0);
  let current: { name: string; size: number; left: number; pad: number; fd: number | undefined; hash: ReturnType<typeof createHash> } | undefined;
  let ended = false;
  const finishFile = () => {
    if (current === undefined) return;
    if (current.fd !== undefined) closeSync(current.fd);
    if (current.fd !== undefined) files.push({ name: current.name, bytes: current.size, sha256: current.hash.digest('hex') });
    current = undefined;
  };
  try {
    for await (const chunk of input) {
      if (ended) continue;
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      for (;;) {
        if (current !== undefined) {
          if (current.left > 0) {
            if (buffer.length === 0) break;
            const part = buffer.subarray(0, Math.min(buffer.length, current.left));
            if (current.fd !== undefined) {
              current.hash.update(part);
              writeSync(current.fd, part);
            }
            current.left -= part.length;
            advance(part.length);
            buffer = buffer.subarray(part.length);
            continue;
          }
          if (buffer.length < current.pad) break;
          buffer = buffer.subarray(current.pad);
          finishFile();
        }
        if (buffer.length < BLOCK) break;
        const header = buffer.subarray(0, BLOCK);
        buffer = buffer.subarray(BLOCK);
        if (header.every((b) => b === 0)) {
          ended = true;
          break;
        }
        if (!checksumOk(header)) throw new TarFormatError('a header is damaged (its checksum does not match)');
        const field = (start: number, length: number) => { const s = header.subarray(start, start + length).toString('utf8'); const z = s.indexOf('\0'); return z < 0 ? s : s.slice(0, z); };
        const prefix = field(345, 155);
        const name = prefix === '' ? field(0, 100) : `${prefix}/${field(0, 100)}`;
        const type = String.fromCharCode(header[156]!);
        const size = parseSize(header.subarray(124, 136));
        const regular = type === '0' || type === '\0';
        if (regular && (name.startsWith('/') || name.split('/').includes('..') || name === '')) throw new TarFormatError(`the entry '${name}' would be written outside the data directory`);
        let fd: number | undefined;
        if (regular) {
          const path = join(dir, name);
          mkdirSync(dirname(path), { recursive: true });
          fd = openSync(path, 'w', 0o600);
        }
        current = { name, size, left: size, pad: (BLOCK - (size % BLOCK)) % BLOCK, fd, hash: createHash('sha256') };
      }
    }
  } finally {
    if (current?.fd !== undefined) closeSync(current.fd);
  }
  if (current !== undefined || !ended) throw new TarFormatError('the archive ends early (it is incomplete)');
  return files;
}
