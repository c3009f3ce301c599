import { describe, expect, it } from 'vitest';
import { readProgress, saveProgress, shouldAutoOpen, TOUR_KEY } from './tourProgress';

function memory(initial?: string) {
  const m = new Map<string, string>(initial === undefined ? [] : [[TOUR_KEY, initial]]);
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
}

describe('tour progress', () => {
  it('opens by itself on a first visit and when left open, not once finished or dismissed', () => {
    expect(shouldAutoOpen(readProgress(memory()))).toBe(true);
    expect(shouldAutoOpen(readProgress(memory('{"state":"active","step":4}')))).toBe(true);
    expect(shouldAutoOpen(readProgress(memory('{"state":"dismissed","step":4}')))).toBe(false);
    expect(shouldAutoOpen(readProgress(memory('{"state":"done","step":0}')))).toBe(false);
  });

  it('round-trips, and treats garbage as a first visit', () => {
    const s = memory();
    saveProgress({ state: 'dismissed', step: 6 }, s);
    expect(readProgress(s)).toEqual({ state: 'dismissed', step: 6 });
    expect(readProgress(memory('not json'))).toBeNull();
    expect(readProgress(memory('{"state":"weird"}'))).toBeNull();
    expect(readProgress(memory('{"state":"active","step":-3}'))).toEqual({ state: 'active', step: 0 });
  });
});
