// Fuzzing the URL parameters (issue 9): whatever a link holds, parseUrlState returns a valid state and a
// notice for everything it did not take as written; it never throws, and the state it returns survives
// a round trip through formatUrlState unchanged and without notices.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BROWSER_ORDER } from '../core/backendNames';
import { ALGOS, CONFIG, CONFIG_KEYS, parseValue, type ConfigKey } from '../core/config';
import { PRESETS } from './presets';
import { formatUrlState, PANELS, parseUrlState } from './urlState';

const SEED = 20260409;
const APP = ['compare', 'backend', 'embed', 'tour', 'preset'];

const words = [...ALGOS, ...PANELS, ...BROWSER_ORDER, ...PRESETS.map((p) => p.id), 'auto', 'true', 'false', '0', '1', 'yes', 'ppo', 'HEADER'];
const value = fc.oneof(
  fc.constantFrom(...words, '', ' ', 'NaN', 'Infinity', '-1', '1e400', '0x10', '1e-3', '.5', '5.', '%zz', '\n', '&', '='),
  fc.double().map(String),
  fc.integer({ min: -100, max: 100000 }).map(String),
  fc.array(fc.constantFrom(...words, 'x', ''), { maxLength: 4 }).map((xs) => xs.join(',')),
  fc.string({ maxLength: 10 }),
);
const key = fc.oneof({ arbitrary: fc.constantFrom(...CONFIG_KEYS, ...APP), weight: 8 }, { arbitrary: fc.string({ maxLength: 8 }), weight: 1 });
const pair = fc.tuple(key, value);
// Half the links start from a story preset, whose settings and comparison the other parameters then change.
const pairs = fc.tuple(fc.option(fc.constantFrom(...PRESETS.map((p) => p.id)), { freq: 2 }), fc.array(pair, { maxLength: 8 })).map(([p, ps]) => (p ? [['preset', p] as [string, string], ...ps] : ps));

/** Everything a state may hold, whatever the URL said. */
function expectValid(s: ReturnType<typeof parseUrlState>) {
  for (const k of CONFIG_KEYS) expect(parseValue(k, String(s.config[k])).ok, `${k}=${s.config[k]}`).toBe(true);
  if (s.compare) {
    expect(s.compare.length).toBeGreaterThanOrEqual(2);
    expect(s.compare.length).toBeLessThanOrEqual(3);
    expect(new Set(s.compare).size).toBe(s.compare.length);
    for (const a of s.compare) expect(ALGOS).toContain(a);
  }
  expect(['auto', ...BROWSER_ORDER]).toContain(s.backend);
  if (s.embed) for (const p of s.embed) expect(PANELS).toContain(p);
  expect([null, true, false]).toContain(s.tour);
  if (s.preset) expect(PRESETS.map((p) => p.id)).toContain(s.preset);
  for (const n of s.notices) expect(n).not.toMatch(/[\r\n]|\bat \S+:\d+/);
}

describe('URL parameters, fuzzed', () => {
  it('any parameters: a valid state, a notice for each value not taken as written, never a throw (400 cases)', () => {
    fc.assert(
      fc.property(pairs, (ps) => {
        const s = parseUrlState(`?${new URLSearchParams(ps)}`);
        expectValid(s);
        for (const [k, raw] of ps) {
          if (Object.hasOwn(CONFIG, k) && !parseValue(k, raw).ok) expect(s.notices.some((n) => n.startsWith(`${k}=`)), `${k}=${raw}`).toBe(true);
          if (!(Object.hasOwn(CONFIG, k)) && !APP.includes(k)) expect(s.notices).toContain(`unknown parameter "${k}" ignored`);
        }
        // Config values taken as written are exactly what the URL said (the last one wins, as for URLSearchParams.get).
        for (const k of CONFIG_KEYS) {
          const all = ps.filter(([x]) => x === k);
          const last = all[all.length - 1];
          if (last && parseValue(k, last[1]).ok) expect(s.config[k]).toBe((parseValue(k, last[1]) as { value: unknown }).value);
        }
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('raw query strings (broken escapes, stray & and =): never a throw (150 cases)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (q) => expectValid(parseUrlState(q))),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('whatever state comes out, its link reads back the same, with no notices (250 cases)', () => {
    fc.assert(
      fc.property(pairs, (ps) => {
        const s = parseUrlState(`?${new URLSearchParams(ps)}`);
        const back = parseUrlState(formatUrlState(s));
        expect(back.notices).toEqual([]);
        expect({ ...back, notices: [] }).toEqual({ ...s, notices: [] });
      }),
      { seed: SEED, numRuns: 250 },
    );
  });

  it('numbers just outside a range are clamped to its edge, with a notice', () => {
    for (const k of CONFIG_KEYS) {
      const s = CONFIG[k as ConfigKey];
      if (s.kind !== 'int' && s.kind !== 'float') continue;
      const r = parseUrlState(`?${k}=${s.max + 1}`);
      expect(r.config[k]).toBe(s.max);
      expect(r.notices).toHaveLength(1);
    }
  });
});
