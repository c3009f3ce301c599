// The one grammar for numbers typed by people: config values (CLI flags, URL parameters) and every other
// numeric CLI flag. Plain decimal or scientific notation only, so "0x10", "1_000", "Infinity" or "" are
// refused rather than read as something the user did not mean.

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

export interface NumberRange {
  kind: 'int' | 'float';
  min: number;
  max: number;
  /** true: min itself is refused, the range is (min, max]. */
  minOpen?: boolean;
}

/** The number `raw` spells if it lies in the range, else null. Surrounding blanks are ignored. */
export function parseNumber(raw: string, r: NumberRange): number | null {
  const v = raw.trim();
  if (!NUMBER.test(v)) return null;
  const n = Number(v);
  if (!Number.isFinite(n) || (r.kind === 'int' && !Number.isInteger(n))) return null;
  if (n > r.max || n < r.min || (r.minOpen && n === r.min)) return null;
  return n;
}

/** "an integer in [1, 10]", "a number in (0, 1]": how messages name a range. */
export function rangeWords(r: NumberRange, plural = false): string {
  const what = r.kind === 'int' ? (plural ? 'integers' : 'an integer') : plural ? 'numbers' : 'a number';
  return `${what} in ${r.minOpen ? '(' : '['}${r.min}, ${r.max}]`;
}
