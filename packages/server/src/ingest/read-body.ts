// Request bodies of the ingestion APIs: raw bytes, gzip decoded with a hard cap (a gzip bomb
// stops at the cap), then JSON.
import { gunzipSync, inflateSync } from 'node:zlib';
import { ApiError } from '../errors.ts';

export function decodeBody(raw: unknown, encoding: string | undefined, maxBytes: number): Buffer {
  const body = Buffer.isBuffer(raw) ? raw : typeof raw === 'string' ? Buffer.from(raw) : Buffer.alloc(0);
  const enc = (encoding ?? '').trim().toLowerCase();
  if (enc === '' || enc === 'identity') {
    if (body.length > maxBytes) throw tooLarge(maxBytes);
    return body;
  }
  if (enc !== 'gzip' && enc !== 'deflate') {
    throw new ApiError('UnsupportedMediaType', `Content-Encoding '${encoding}' is not supported; send gzip or no encoding.`);
  }
  try {
    return (enc === 'gzip' ? gunzipSync : inflateSync)(body, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) throw tooLarge(maxBytes);
    throw new ApiError('InvalidRequestContent', `The body is not valid ${enc} data: ${(error as Error).message}. Nothing was stored.`);
  }
}

function tooLarge(maxBytes: number): ApiError {
  return new ApiError('RequestEntityTooLarge', `The request body is larger than ${maxBytes} bytes once decompressed, the most one call may carry. Split the data into smaller calls; nothing of this call was stored.`);
}

export function parseJsonArray(body: Buffer, what: string): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new ApiError('InvalidRequestContent', `The body is not valid JSON: ${(error as Error).message}. Nothing was stored.`);
  }
  if (!Array.isArray(value)) throw new ApiError('InvalidRequestContent', `The body must be a JSON array of ${what}; got ${value === null ? 'null' : typeof value}. Nothing was stored.`);
  return value;
}
