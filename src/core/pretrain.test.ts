import { describe, expect, it } from 'vitest';
import { backend, TINY } from '../test/setup';
import { pretrain, type PretrainPhase } from './pretrain';

describe('pretraining phases', () => {
  it('phase 2 continued from a saved phase 1 equals one run of both (the shipped recipe relies on it)', async () => {
    await backend('wasm');
    const phases: PretrainPhase[] = [
      { steps: 3, lr: 1e-2, warmup: 1, seed: 1, rephraseShare: 0.5, rephraseDigits: [1, 2, 3, 4, 5], task: 'addition' },
      { steps: 3, lr: 5e-3, warmup: 1, seed: 2, rephraseShare: 0.75, rephraseDigits: [1, 2, 3, 4, 5], task: 'addition-kfirst' }, // a layout change between phases, as the recipe
    ];
    const losses: number[] = [];
    const both = await pretrain({ batchSize: 4, gpt: TINY, phases }, (_, l) => void losses.push(l));
    const first = await pretrain({ batchSize: 4, gpt: TINY, phases: [phases[0]] });
    const second = await pretrain({ batchSize: 4, gpt: TINY, phases: [phases[1]] }, undefined, first);
    expect(losses).toHaveLength(6);
    expect(losses[5]).toBeLessThan(losses[0]); // it learns at all
    for (const [name, w] of both.weights) expect(Array.from(second.weights.get(name)!.dataSync())).toEqual(Array.from(w.dataSync()));
    // and the continuation did move away from where phase 1 ended
    expect(Array.from(second.weights.get('tok_emb')!.dataSync())).not.toEqual(Array.from(first.weights.get('tok_emb')!.dataSync()));
    [both, first, second].forEach((m) => m.dispose());
  });
});
