import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../core/config';
import type { StepRecord } from '../../core/record';
import { fakeRecord } from '../../test/records';
import { appendTick, createHistoryStore, emptyHistory, loadedHistory, resumeHistory, runName } from './history';
import { editConfig, newSeed, pendingResetKeys, stepsPerSecond } from './logic';

describe('config edits', () => {
  it('applies live keys at once and holds reset-needing keys as pending', () => {
    const c = defaultConfig();
    const live = editConfig(c, c, 'rho', 0.9);
    expect(live.live).toBe(true);
    expect(live.applied.rho).toBe(0.9);
    const held = editConfig(c, c, 'algo', 'grpo');
    expect(held.live).toBe(false);
    expect(held.applied.algo).toBe('repo');
    expect(pendingResetKeys(held.applied, held.draft)).toEqual(['algo']);
  });
  it('coerces NaN and out-of-range values before they reach the worker', () => {
    const c = defaultConfig();
    expect(editConfig(c, c, 'delta', Number.NaN).applied.delta).toBe(c.delta);
    const r = editConfig(c, c, 'groupSize', 999);
    expect(r.applied.groupSize).toBe(32);
    expect(r.notice).toContain('groupSize');
  });
});

describe('history', () => {
  const rec = (step: number): StepRecord => fakeRecord(step, 'repo', { config: { delta: step / 10 } });
  it('keeps the last `cap` full records and every metric point', () => {
    let runs = emptyHistory([{ id: 'run-1', algo: 'repo' }, { id: 'run-2', algo: 'grpo' }]);
    // keyed by run id: the order of the tick's keys does not matter
    for (let s = 0; s < 5; s++) runs = appendTick(runs, { 'run-2': { ...rec(s), algo: 'grpo' }, 'run-1': rec(s) }, 3);
    expect(runs[0].records.map((r) => r.step)).toEqual([2, 3, 4]);
    expect(runs[0].records.map((r) => r.settings.config.delta)).toEqual([0.2, 0.3, 0.4]);
    expect(runs[0].metrics.map((m) => m.step)).toEqual([0, 1, 2, 3, 4]);
    expect(runs[1].metrics[4]).toMatchObject({ algo: 'grpo', rewardMean: 4 });
    expect(appendTick(runs, { 'run-9': rec(5) }).map((r) => r.metrics.length)).toEqual([5, 5]); // an unknown id touches no run
  });
  it("a resumed worker keeps each run's history before the snapshot step, by id", () => {
    let runs = emptyHistory([{ id: 'run-1', algo: 'repo' }, { id: 'run-2', algo: 'grpo' }]);
    for (let s = 0; s < 4; s++) runs = appendTick(runs, { 'run-1': rec(s), 'run-2': { ...rec(s), algo: 'grpo' } });
    const back = resumeHistory(runs, [{ id: 'run-2', algo: 'grpo' }, { id: 'run-3', algo: 'sft' }], 3);
    expect(back.map((r) => r.id)).toEqual(['run-2', 'run-3']);
    expect(back[0].metrics.map((m) => m.step)).toEqual([0, 1, 2]); // step 3 is redone by the new worker
    expect(back[0].records.map((r) => r.step)).toEqual([0, 1, 2]);
    expect(back[1].metrics).toEqual([]);
  });
  it('notifies subscribers at most once per throttle window', async () => {
    const store = createHistoryStore(50);
    let calls = 0;
    store.subscribe(() => calls++);
    store.reset([{ id: 'run-1', algo: 'repo' }]);
    for (let s = 0; s < 20; s++) store.push({ 'run-1': rec(s) });
    expect(calls).toBe(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(calls).toBe(1);
    expect(store.getSnapshot().runs[0].metrics).toHaveLength(20);
  });
});

describe('loaded runs', () => {
  const rec = (step: number): StepRecord => fakeRecord(step, 'grpo');
  it('sit after the live runs, survive resets and ticks, and are replaced by label', async () => {
    const store = createHistoryStore(0);
    store.reset([{ id: 'run-1', algo: 'repo' }]);
    store.addLoaded(loadedHistory('a.jsonl · grpo', 'grpo', [rec(0), rec(1), rec(2)], 2));
    store.push({ 'run-1': { ...rec(0), algo: 'repo' } });
    store.reset([{ id: 'run-2', algo: 'repo' }, { id: 'run-3', algo: 'luffy' }]);
    await new Promise((r) => setTimeout(r, 20));
    const runs = store.getSnapshot().runs;
    expect(runs.map(runName)).toEqual(['repo', 'luffy', 'a.jsonl · grpo']);
    expect(runs[2]).toMatchObject({ loaded: true });
    expect(runs[2].metrics.map((m) => m.step)).toEqual([0, 1, 2]);
    expect(runs[2].records.map((r) => r.step)).toEqual([1, 2]); // the last `cap` full records
    expect(runs[2].records).toHaveLength(2);
    expect(store.current().map((r) => r.algo)).toEqual(['repo', 'luffy']); // exports: live runs only
    store.addLoaded(loadedHistory('a.jsonl · grpo', 'grpo', [rec(0)]));
    store.removeLoaded('nope');
    await new Promise((r) => setTimeout(r, 20));
    expect(store.getSnapshot().runs).toHaveLength(3);
    store.removeLoaded('a.jsonl · grpo');
    await new Promise((r) => setTimeout(r, 20));
    expect(store.getSnapshot().runs).toHaveLength(2);
  });
});

describe('steps per second and seeds', () => {
  it('measures ticks per second times steps per tick', () => {
    expect(stepsPerSecond([0, 500, 1000], 2)).toBe(4);
    expect(stepsPerSecond([1000])).toBe(0);
  });
  it('draws a different seed', () => {
    expect(newSeed(5, () => 0.5)).not.toBe(5);
  });
});
