// The worker's checkpoint sources verify the weights checksum too: the shipped base over http (as the
// app loads it) passes without a warning; a copy with one flipped bit is refused in one line naming it.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend } from '../test/setup';
import { readCheckpoint } from './checkpoints';

describe('worker checkpoint sources', () => {
  const files: Record<string, Buffer> = {
    'model.json': readFileSync('public/checkpoints/base/model.json'),
    'weights.bin': readFileSync('public/checkpoints/base/weights.bin'),
  };
  const flipped = Buffer.from(files['weights.bin']);
  flipped[777] ^= 0x01;
  let bad = false;
  const server = createServer((req, res) => {
    const name = req.url!.split('/').pop()!;
    res.end(bad && name === 'weights.bin' ? flipped : files[name]);
  });
  let url = '';
  beforeAll(async () => {
    await backend('cpu');
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/model.json`;
  });
  afterAll(() => server.close());

  it('the shipped base over http carries a checksum that matches', async () => {
    bad = false;
    const r = await readCheckpoint({ kind: 'url', url, label: 'base (shipped)' });
    expect(r.warning).toBeUndefined();
    r.model.dispose();
  });

  it('a flipped bit on the way is refused with one line', async () => {
    bad = true;
    await expect(readCheckpoint({ kind: 'url', url, label: 'base (shipped)' })).rejects.toThrow(/^checkpoint base \(shipped\): weights do not match their checksum \(corrupted or edited\)$/);
  });
});
