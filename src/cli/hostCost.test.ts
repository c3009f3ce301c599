// `npm run bench -- --host-cost record|replay` end to end, as child processes: two small RePO steps
// recorded on the adapter (SwiftShader here), replayed on Dawn's null backend with the same reads; a
// tape short of a read stops the replay with one line. Skipped, with the reason, without an adapter.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setupNodeWebGPU } from './webgpuNode';

const skip = await setupNodeWebGPU().then(
  () => '',
  (e: Error) => e.message
);
if (skip) console.log(`skipping the host-cost tests: ${skip}`);

const bench = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bench.ts', ...args], { encoding: 'utf8', timeout: 300_000 });

describe.skipIf(!!skip)('bench --host-cost', () => {
  it('replays a recorded tape on the null backend, read for read, and refuses a tape short of a read', () => {
    const tape = join(mkdtempSync(join(tmpdir(), 'host-cost-')), 'tape.json');
    const rec = bench(['--host-cost', 'record', '--small', '--steps', '2', '--tape', tape]);
    expect(rec.status, rec.stderr).toBe(0);
    expect(rec.stdout).toMatch(/recorded on .+: 2 small steps \(\d+ s, \d+ s\), \d+ readbacks/);
    const t = JSON.parse(readFileSync(tape, 'utf8'));
    expect(t.config).toMatchObject({ algo: 'repo', batchSize: 2, groupSize: 4 });
    expect(t.reads.length).toBeGreaterThan(2); // a generation's tokens, an update's loss, …

    const rep = bench(['--host-cost', 'replay', '--tape', tape, '--rounds', '1']);
    expect(rep.status, rep.stderr).toBe(0);
    expect(rep.stdout).toContain(`${t.reads.length} recorded readbacks), ms per repo step (B=2, G=4, μ=2)`);
    expect(rep.stdout).toMatch(/round 1: \d+, \d+\n/);
    expect(rep.stdout).toMatch(/median of the warm steps: \d+ ms/);

    writeFileSync(tape, JSON.stringify({ ...t, reads: t.reads.slice(0, -1) }));
    const short = bench(['--host-cost', 'replay', '--tape', tape, '--rounds', '1']);
    expect(short.status).toBe(2);
    expect(short.stderr.trim()).toMatch(/^error: the replay asked for more than the tape's \d+ reads: record the tape with this commit$/);
  });
});
