import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { backend, tinyModel } from '../../test/setup';
import { scoreLogProbs } from '../sampler';
import { grpoUpdate, type TrainRow } from './groupUpdate';
import { groupAdvantages } from './objective';

beforeAll(() => backend('wasm'));

const opts = { groupSize: 2, scale: 'group' as const, dropZeroStd: true, mu: 1, maxGradNorm: 1, loss: { epsLow: 0.2, epsHigh: 0.2, beta: 0, aggregation: 'token-mean' as const, maxNewTokens: 8 } };

describe('grpoUpdate with extra rows (repoTrainPrompt)', () => {
  it('an extra row takes the advantage and inclusion of the row it is like, and is trained', async () => {
    const model = tinyModel(3);
    const p = [1, 5, 6];
    const prompts = [p, p, [1, 7, 7], [1, 7, 7], [1, 9, 9, 9]];
    const responses = [[3, 4, 2], [4, 4, 2], [5, 2], [6, 2], [3, 4, 2]];
    const old = await scoreLogProbs(model, prompts, responses);
    const rows: TrainRow[] = prompts.map((prompt, i) => ({ group: i < 2 ? 0 : 1, prompt, response: responses[i], logpOld: old[i], logpQ: old[i], offPolicy: false }));
    rows[4].like = 0; // row 0's response again, under another prompt (as o_rep under P(q,k))
    rows[4].group = 0;
    const rewards = [1, 0, 0.25, 0.25]; // group 1 has zero std: dropped
    const opt = tf.train.adam(1e-2);
    const r = await grpoUpdate(model, opt, rows, rewards, opts);
    const a = groupAdvantages(rewards, 2, 'group');
    expect(r.advantages).toEqual([...a, a[0]]);
    expect(r.inLoss).toEqual([true, true, false, false, true]);
    expect(r.lastRows).toEqual([0, 1, 4]);
    // It was trained: its log-prob under its own prompt rose more than when only row 0 is trained.
    const sum = (xs: number[]) => xs.reduce((x, y) => x + y, 0);
    const withExtra = sum((await scoreLogProbs(model, [prompts[4]], [responses[4]]))[0]) - sum(old[4]);
    const control = tinyModel(3);
    const opt2 = tf.train.adam(1e-2);
    await grpoUpdate(control, opt2, rows.slice(0, 4), rewards, opts);
    const without = sum((await scoreLogProbs(control, [prompts[4]], [responses[4]]))[0]) - sum(old[4]);
    expect(withExtra).toBeGreaterThan(without + 0.01);
    [opt, opt2, model, control].forEach((x) => x.dispose());
  });
});
