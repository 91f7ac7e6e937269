import { hash } from 'node:crypto';

import { valueText } from './valueText.js';

/**
 * Returns the SHA-256 digest of the UTF-8 bytes of `text`, as 64 lowercase hex digits. The one-shot
 * `crypto.hash` (Node 20.12 and later) encodes a string as UTF-8 and skips the `Hash` object.
 */
export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
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
