import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, defaultConfig } from '../core/config';
import { formatUrlState, parseEmbed, parseUrlState, PANELS } from './urlState';

describe('URL state', () => {
  it('round-trips every config key, compare and backend', () => {
    const config = { ...defaultConfig(), rho: 0.75, delta: 0.25, algo: 'luffy' as const, repoVerify: false, lr: 3e-5, aggregation: 'seq-mean-token-mean' as const };
    const s = { config, compare: ['repo', 'grpo'] as ('repo' | 'grpo')[], backend: 'wasm' as const };
    const back = parseUrlState(formatUrlState(s));
    expect(back.notices).toEqual([]);
    expect(back.config).toEqual(config);
    expect(back.compare).toEqual(['repo', 'grpo']);
    expect(back.backend).toBe('wasm');
    expect(new URLSearchParams(formatUrlState(s)).size).toBe(CONFIG_KEYS.length + 2);
  });

  it('clamps out-of-range numbers and defaults garbage, with a notice each', () => {
    const r = parseUrlState('?rho=7&groupSize=abc&batchSize=2.6&delta=-1&repoVerify=maybe&algo=ppo');
    expect(r.config.rho).toBe(1);
    expect(r.config.groupSize).toBe(defaultConfig().groupSize);
    expect(r.config.batchSize).toBe(3);
    expect(r.config.delta).toBe(0);
    expect(r.config.repoVerify).toBe(true);
    expect(r.config.algo).toBe('repo');
    expect(r.notices).toHaveLength(6);
    expect(r.notices.join('\n')).toContain('rho=7');
  });

  it('never lets NaN or Infinity through', () => {
    const r = parseUrlState('?lr=NaN&temperature=Infinity&mu=');
    for (const v of [r.config.lr, r.config.temperature, r.config.mu]) expect(Number.isFinite(v)).toBe(true);
    expect(r.notices).toHaveLength(3);
  });

  it('notices unknown parameters, bad backends and bad compare lists', () => {
    const r = parseUrlState('?foo=1&backend=metal&compare=repo,ppo');
    expect(r.backend).toBe('auto');
    expect(r.compare).toBeNull();
    expect(r.notices).toHaveLength(3);
    expect(parseUrlState('?compare=repo,luffy,grpo,sft,repo').compare).toEqual(['repo', 'luffy', 'grpo']);
  });

  it('parses embed= into known panels, in order, without repeats; unknown names make one notice', () => {
    expect(parseEmbed('inspector,ratios')).toEqual({ panels: ['inspector', 'ratios'], notice: undefined });
    expect(parseEmbed(' Ratios , inspector,ratios').panels).toEqual(['ratios', 'inspector']);
    const bad = parseEmbed('inspector,slides,foo');
    expect(bad.panels).toEqual(['inspector']);
    expect(bad.notice).toContain('"slides", "foo"');
    const none = parseEmbed('nothing');
    expect(none.panels).toBeNull();
    expect(none.notice).toContain('whole page');
    expect(parseEmbed('').panels).toBeNull();
    expect(parseEmbed(PANELS.join(',')).panels).toEqual([...PANELS]);
  });

  it('reads embed and tour from the URL and writes them back', () => {
    const r = parseUrlState('?embed=inspector,ratios&tour=0');
    expect(r.notices).toEqual([]);
    expect(r.embed).toEqual(['inspector', 'ratios']);
    expect(r.tour).toBe(false);
    const back = parseUrlState(formatUrlState(r));
    expect(back.embed).toEqual(['inspector', 'ratios']);
    expect(back.tour).toBe(false);
    expect(parseUrlState('?tour=1').tour).toBe(true);
    expect(parseUrlState('').tour).toBeNull();
    expect(parseUrlState('').embed).toBeNull();
    const bad = parseUrlState('?tour=yes&embed=inspector,bogus');
    expect(bad.tour).toBeNull();
    expect(bad.embed).toEqual(['inspector']);
    expect(bad.notices).toHaveLength(2);
  });
});

describe('story presets in the URL', () => {
  it('a preset sets its settings and compare; the URL’s own parameters override it', async () => {
    const { PRESETS } = await import('./presets');
    const own = parseUrlState('?preset=own-words');
    expect(own.preset).toBe('own-words');
    expect(own.compare).toEqual(['repo', 'grpo']);
    expect(own.notices).toEqual([]);
    const wall = parseUrlState('?preset=hard-wall&algo=repo&delta=0.75');
    expect(wall.config.algo).toBe('repo');
    expect(wall.config.delta).toBe(0.75);
    expect(parseUrlState('?preset=rho-delta').config.delta).toBe(0.25);
    const back = parseUrlState(formatUrlState(own));
    expect(back.preset).toBe('own-words');
    expect(back.compare).toEqual(['repo', 'grpo']);
    // every preset is valid input: its settings survive the forgiving parser unchanged
    for (const p of PRESETS) {
      const r = parseUrlState(`?preset=${p.id}`);
      expect(r.notices).toEqual([]);
      for (const [k, v] of Object.entries(p.settings)) expect(r.config[k as keyof typeof r.config]).toBe(v);
    }
  });
  it('an unknown preset is a notice, and nothing else changes', () => {
    const r = parseUrlState('?preset=magic');
    expect(r.preset).toBeNull();
    expect(r.notices[0]).toMatch(/preset=magic is not one of hard-wall, own-words/);
    expect(r.compare).toBeNull();
  });
});
