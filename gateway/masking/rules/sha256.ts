import { createHash } from 'node:crypto';

import { valueText } from './valueText.js';

/** Returns the SHA-256 digest of the UTF-8 bytes of `text`, as 64 lowercase hex digits. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * `SHA256`: the SHA-256 digest of the value's UTF-8 text, as 64 lowercase hex digits.
 * `"abc"` → `"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"`; `""` → the digest of
 * no bytes, `"e3b0c442…b855"`. BigQuery returns the digest as BYTES; the mesh prints it as hex text so
 * that it fits a `String` or `ID` field.
 */
export function maskSha256(value: unknown): string {
  return sha256Hex(valueText(value));
}
