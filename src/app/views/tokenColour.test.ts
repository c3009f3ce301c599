import { describe, expect, it } from 'vitest';
import type { RolloutRecord } from '../../core/record';
import { NEUTRAL, diverging, mix, modeAvailable, paintToken } from './tokenColour';

const row = (o: Partial<RolloutRecord> = {}): RolloutRecord => ({
  text: '1+1=2',
  source: 'policy',
  style: 'own',
  reward: 1,
  failed: false,
  advantage: 1,
  tokens: ['1', '$'],
  logpOld: [0, -5],
  ratio: [1, 2],
  clipped: [false, true],
  ...o,
});

describe('mix and diverging', () => {
  it('interpolates and clamps', () => {
    expect(mix([0, 0, 0], [255, 255, 255], 0.5)).toBe('rgb(128, 128, 128)');
    expect(mix([0, 0, 0], [255, 255, 255], 3)).toBe('rgb(255, 255, 255)');
    expect(mix([0, 0, 0], [255, 255, 255], Number.NaN)).toBe('rgb(0, 0, 0)');
  });
  it('is white at 0 and differs by sign', () => {
    expect(diverging(0, [0, 0, 255], [255, 0, 0])).toBe('rgb(255, 255, 255)');
    expect(diverging(-1, [0, 0, 255], [255, 0, 0])).not.toBe(diverging(1, [0, 0, 255], [255, 0, 0]));
  });
});

describe('paintToken', () => {
  it('colours a sure token white and a surprising one', () => {
    expect(paintToken('logpOld', row(), 0).background).toBe('rgb(255, 255, 255)');
    expect(paintToken('logpOld', row(), 1).background).not.toBe('rgb(255, 255, 255)');
  });
  it('shows ratio 1 as white and clipped tokens in colour', () => {
    expect(paintToken('ratio', row(), 0).background).toBe('rgb(255, 255, 255)');
    expect(paintToken('clipped', row(), 0).background).toBe('rgb(255, 255, 255)');
    expect(paintToken('clipped', row(), 1).background).not.toBe('rgb(255, 255, 255)');
  });
  it('is neutral when the row was not in the loss', () => {
    const r = row({ ratio: [], clipped: [] });
    expect(paintToken('ratio', r, 0).background).toBe(NEUTRAL);
    expect(modeAvailable('ratio', r)).toBe(false);
    expect(modeAvailable('behaviour', r)).toBe(false);
    expect(modeAvailable('behaviour', row({ behaviourLogRatio: [-1, -2] }))).toBe(true);
  });
  it('names EOS and numbers in the hover text', () => {
    const t = paintToken('advantage', row(), 1).title;
    expect(t).toContain('$ (end)');
    expect(t).toContain('clipped yes');
    expect(t).toContain('r 2.000');
  });
});
