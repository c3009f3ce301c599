// The request helper: ids are echoed, replies settle their own promise in any order, errors reject the
// right one, and a dead worker rejects every open request.
import { describe, expect, it } from 'vitest';
import type { Request, WorkerEvent } from '../worker/protocol';
import { createRequests, RequestError } from './requests';

function harness() {
  const sent: (Request & { requestId: number })[] = [];
  const r = createRequests((cmd) => sent.push(cmd));
  return { r, sent };
}

describe('requests', () => {
  it('gives each request a fresh id and resolves it from the reply that echoes it, in any order', async () => {
    const { r, sent } = harness();
    const list = r.request({ type: 'listCheckpoints' });
    const del = r.request({ type: 'deleteCheckpoint', name: 'a' });
    expect(sent.map((c) => c.requestId)).toEqual([1, 2]);
    expect(sent[1]).toEqual({ type: 'deleteCheckpoint', name: 'a', requestId: 2 });
    // the second is answered first
    expect(r.settle({ type: 'reply', requestId: 2, request: 'deleteCheckpoint', result: { names: ['b'] } })).toBe(true);
    expect(r.settle({ type: 'reply', requestId: 1, request: 'listCheckpoints', result: { names: ['a', 'b'] } })).toBe(true);
    expect(await del).toEqual({ names: ['b'] });
    expect(await list).toEqual({ names: ['a', 'b'] });
    expect(r.open).toBe(0);
  });

  it('an error with an id rejects that request only, with its scope; errors without an id settle nothing', async () => {
    const { r } = harness();
    const load = r.request({ type: 'loadCheckpoint', source: { kind: 'indexeddb', name: 'x' } });
    const list = r.request({ type: 'listCheckpoints' });
    expect(r.settle({ type: 'error', scope: 'training', message: 'step failed' })).toBe(false);
    expect(r.settle({ type: 'state', playing: false, busy: null, step: 0 })).toBe(false);
    r.settle({ type: 'error', requestId: 1, scope: 'checkpoint', message: 'no such checkpoint' });
    const err = await load.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestError);
    expect(err).toMatchObject({ message: 'no such checkpoint', scope: 'checkpoint' });
    expect(r.open).toBe(1);
    r.settle({ type: 'reply', requestId: 2, request: 'listCheckpoints', result: { names: [] } });
    expect(await list).toEqual({ names: [] });
  });

  it('a late or unknown reply is consumed without effect; a dead worker rejects every open request', async () => {
    const { r } = harness();
    const a = r.request({ type: 'reset', config: {} as never, algos: ['repo'] });
    const b = r.request({ type: 'setBackend', backend: 'wasm' });
    r.rejectAll('the training worker crashed (boom)');
    await expect(a).rejects.toMatchObject({ scope: 'worker', message: 'the training worker crashed (boom)', workerGone: true });
    await expect(b).rejects.toThrow('crashed');
    const late: WorkerEvent = { type: 'reply', requestId: 1, request: 'reset', result: { runs: [] } };
    expect(r.settle(late)).toBe(true);
    expect(r.open).toBe(0);
  });

  it('a post that throws (no worker) rejects at once with the request scope', async () => {
    const r = createRequests(() => {
      throw new Error('the training worker is not running');
    });
    await expect(r.request({ type: 'saveCheckpoint', target: 'indexeddb', name: 'x', runId: null })).rejects.toMatchObject({ scope: 'checkpoint' });
    expect(r.open).toBe(0);
  });
});
