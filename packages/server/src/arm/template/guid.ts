// guid(): ARM's deterministic GUID. It is an RFC 4122 §4.3 name-based UUID,
// version 5 (SHA-1), over a fixed namespace that Azure Resource Manager uses;
// the name is the function's string arguments joined with '-' and encoded as
// UTF-8. So guid('a', 'b') is uuidv5(11fb06fb-712d-4ddd-98c7-e71bbd588830, "a-b").

import { createHash } from 'node:crypto';

export const ARM_GUID_NAMESPACE = '11fb06fb-712d-4ddd-98c7-e71bbd588830';

function uuidToBytes(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new Error(`not a UUID: ${uuid}`);
  return Buffer.from(hex, 'hex');
}

function formatUuid(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** RFC 4122 version-5 UUID of `name` (UTF-8) in `namespace`, lower case. */
export function uuidV5(namespace: string, name: string): string {
  const digest = createHash('sha1').update(uuidToBytes(namespace)).update(Buffer.from(name, 'utf8')).digest();
  const bytes = Uint8Array.from(digest.subarray(0, 16));
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50; // version 5
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80; // RFC 4122 variant
  return formatUuid(bytes);
}

/** The value of the template function guid(parts...). */
export function armGuid(parts: readonly string[]): string {
  return uuidV5(ARM_GUID_NAMESPACE, parts.join('-'));
}
