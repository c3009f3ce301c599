// The plain-JS SHA-256 (used where WebCrypto is missing) against Node's, over the padding boundaries.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Hex, sha256Js } from './sha256';

const node = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('sha256', () => {
  it('matches Node for every length around the 64-byte block and its 8-byte length field', () => {
    for (const n of [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 1000]) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 255);
      expect(hex(sha256Js(b))).toBe(node(b));
    }
  });

  it('matches Node on generated inputs (200 cases)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => hex(sha256Js(b)) === node(b)), { seed: 9, numRuns: 200 });
  });

  it('sha256Hex (WebCrypto here) gives the same hex', async () => {
    const b = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) & 255);
    expect(await sha256Hex(b.buffer)).toBe(node(b));
  });
});
