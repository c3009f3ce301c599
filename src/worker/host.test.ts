// The worker host through its protocol, in Node on wasm: requests echo their id in one reply or error,
// runs are named and their records keyed by id, `state` carries playing and busy, and a new host resumed
// from the last snapshot (what the page does after a worker crash) goes on exactly where the first was.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../core/config';
import { backend } from '../test/setup';
import { firstDifference, timeless } from '../test/determinism';
import { Host } from './host';
import type { EventOf, Request, RunsSnapshot, WorkerEvent } from './protocol';

const config = { ...defaultConfig(), algo: 'repo' as const, batchSize: 2, groupSize: 3, maxNewTokens: 8, evalSize: 10, evalEvery: 0, rho: 0, repoVerify: false, dropZeroStd: false };

function harness() {
  const events: WorkerEvent[] = [];
  const host = new Host((e) => events.push(e));
  let id = 0;
  const ask = async (req: Request) => {
    const requestId = ++id * 10; // not 1, 2, 3: the reply must echo this one
    await host.handle({ ...req, requestId });
    const answer = events.filter((e) => (e.type === 'reply' || e.type === 'error') && e.requestId === requestId);
    expect(answer).toHaveLength(1); // exactly one answer per request
    return answer[0];
  };
  const of = <T extends WorkerEvent['type']>(t: T) => events.filter((e): e is EventOf<T> => e.type === t);
  return { host, events, ask, of };
}

describe('worker host protocol (wasm)', () => {
  let server: Server;
  let url = '';
  beforeAll(async () => {
    await backend('wasm');
    server = createServer((req, res) => {
      try {
        res.end(readFileSync(`public/checkpoints/base/${req.url!.split('/').pop()}`));
      } catch {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/model.json`;
  });
  afterAll(() => server.close());

  it('ids, state, errors, and a resumed host that continues bit for bit', async () => {
    const a = harness();
    const ready = await a.ask({ type: 'init', config, algos: ['repo'], backend: 'wasm', checkpoint: { kind: 'url', url, label: 'base' } });
    expect(ready).toMatchObject({ type: 'reply', request: 'init', result: { backend: 'wasm', runs: [{ id: 'run-1', algo: 'repo' }] } });
    expect(a.of('runs')).toEqual([{ type: 'runs', runs: [{ id: 'run-1', algo: 'repo' }] }]);

    for (let i = 0; i < 2; i++) await a.host.handle({ type: 'step' });
    const steps = a.of('steps');
    expect(steps.map((e) => [e.step, Object.keys(e.records)])).toEqual([[0, ['run-1']], [1, ['run-1']]]);
    expect(a.of('state').at(-1)).toEqual({ type: 'state', playing: false, busy: null, step: 2 });
    const snap: RunsSnapshot = structuredClone(a.of('snapshot').at(-1)!.snapshot); // what the page keeps
    expect(snap.step).toBe(2);

    // busy is the worker's word, from the request until its answer
    const save = await a.ask({ type: 'saveCheckpoint', target: 'download', name: 'x', runId: 'run-1' });
    expect(save).toMatchObject({ type: 'reply', result: { target: 'download', name: 'x' } });
    expect(a.of('state').slice(-2).map((e) => e.busy)).toEqual(['preparing x', null]);

    // a failing request: an error with its id and scope; the runs are untouched
    const bad = await a.ask({ type: 'loadCheckpoint', source: { kind: 'url', url: url.replace('model.json', 'nope.json'), label: 'nope' } });
    expect(bad).toMatchObject({ type: 'error', scope: 'checkpoint' });
    expect(a.of('runs')).toHaveLength(1);

    // the page's restart after a crash: a new host, the same checkpoint, the last snapshot
    const b = harness();
    const resumed = await b.ask({ type: 'init', config, algos: ['repo'], backend: 'wasm', checkpoint: { kind: 'url', url, label: 'base' }, resume: snap });
    expect(resumed).toMatchObject({ type: 'reply', result: { runs: [{ id: 'run-1', algo: 'repo' }] } });
    expect(b.of('runs')).toEqual([{ type: 'runs', runs: [{ id: 'run-1', algo: 'repo' }], resumedFrom: 2 }]);
    await a.host.handle({ type: 'step' });
    await b.host.handle({ type: 'step' });
    const want = a.of('steps').at(-1)!;
    const got = b.of('steps').at(-1)!;
    expect(got.step).toBe(2);
    expect(firstDifference(timeless(got.records['run-1']), timeless(want.records['run-1']))).toBeNull();
    // a reset after the resume names new runs, never a resumed id again
    const reset = await b.ask({ type: 'reset', config, algos: ['repo', 'grpo'] });
    expect(reset).toMatchObject({ result: { runs: [{ id: 'run-2' }, { id: 'run-3' }] } });
  });

  it('debug signals are refused unless init asked for them', async () => {
    const h = harness();
    await h.ask({ type: 'init', config, algos: ['grpo'], backend: 'wasm', checkpoint: { kind: 'url', url, label: 'base' } });
    await h.host.handle({ type: 'debug', action: 'crash' });
    expect(h.of('notice').at(-1)).toMatchObject({ message: expect.stringMatching(/e2e tests only/) });
  });
});
