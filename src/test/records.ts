// Hand-made StepRecords for view and store tests, with the settings a real step would carry.
import { algorithm } from '../core/algorithms/registry';
import { defaultConfig, type Algo, type Config } from '../core/config';
import type { GroupRecord, StepMetrics, StepRecord, StepSettings } from '../core/record';

export function settingsFor(algo: Algo, over: Partial<Config> = {}): StepSettings {
  const config: Config = { ...defaultConfig(), ...over, algo };
  return { config, method: algorithm(algo).describe(config) };
}

export function fakeRecord(step: number, algo: Algo = 'repo', o: { groups?: GroupRecord[]; metrics?: Partial<StepMetrics>; config?: Partial<Config> } = {}): StepRecord {
  return { step, algo, settings: settingsFor(algo, o.config), groups: o.groups ?? [], metrics: { rewardMean: step, ...o.metrics } as StepMetrics };
}

export function fakeGroup(o: Partial<GroupRecord> = {}): GroupRecord {
  return {
    question: '12+34=', answer: '46', difficulty: 2, split: 'easy', failureRate: 0.25, decision: 'none', injected: false,
    replacedIndex: null, replaced: null, inLoss: true, rephrase: null, expert: '2+4=6;10+30=40;=46', rollouts: [], ...o,
  };
}
