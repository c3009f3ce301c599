// The CLIs' one flag-parsing module: one-line errors with exit code 2, and the commander argParsers
// every numeric or listed flag goes through. Numbers use the config table's grammar (core/numbers), so
// `--steps 1e3` means the same to `train` (a config key) as to `check-base` (its own flag).
import { CommanderError, InvalidArgumentError, type Command } from 'commander';
import { parseNumber, rangeWords, type NumberRange } from '../core/numbers';

/** Newlines in a value (or commander's "(Did you mean …?)" hint) must not split the one error line. */
export function oneLine(message: string): string {
  return message.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

export function fail(message: string): never {
  process.stderr.write(`error: ${oneLine(message)}\n`);
  process.exit(2);
}

const quote = (v: string) => JSON.stringify(v); // "abc"; escapes quotes and newlines

/** A parser that also says what it accepts, so tests can check every numeric flag against its range. */
export type RangedParser<T> = ((v: string) => T) & { range: NumberRange; list?: boolean };

function numberFlag(name: string, r: NumberRange): RangedParser<number> {
  const parse = (v: string): number => {
    const n = parseNumber(v, r);
    if (n === null) throw new InvalidArgumentError(`--${name} takes ${rangeWords(r)}, got ${quote(v)}`);
    return n;
  };
  return Object.assign(parse, { range: r });
}

/** An integer in [min, max]. */
export const int = (name: string, min: number, max: number) => numberFlag(name, { kind: 'int', min, max });

/** A number in [min, max], or (min, max] with `minOpen`. */
export const num = (name: string, min: number, max: number, opts: { minOpen?: boolean } = {}) => numberFlag(name, { kind: 'float', min, max, ...opts });

function items(v: string): string[] {
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}

/** A comma-separated list, optionally restricted to `allowed` values; repeats are dropped, order kept. */
export function list<T extends string>(name: string, allowed: readonly T[] | null) {
  return (v: string): T[] => {
    const xs = items(v);
    const bad = allowed ? xs.filter((s) => !allowed.includes(s as T)) : [];
    if (xs.length === 0 || bad.length) throw new InvalidArgumentError(`--${name} takes a comma-separated list${allowed ? ` of ${allowed.join(', ')}` : ''}, got ${quote(v)}`);
    return [...new Set(xs)] as T[];
  };
}

function numberList(name: string, r: NumberRange, sorted: boolean): RangedParser<number[]> {
  const parse = (v: string): number[] => {
    const xs = items(v).map((s) => parseNumber(s, r));
    if (xs.length === 0 || xs.some((x) => x === null)) throw new InvalidArgumentError(`--${name} takes ${rangeWords(r, true)}, got ${quote(v)}`);
    const unique = [...new Set(xs as number[])];
    return sorted ? unique.sort((a, b) => a - b) : unique;
  };
  return Object.assign(parse, { range: r, list: true });
}

/** Comma-separated numbers in [min, max], without repeats, ascending (grid axes such as ρ and δ). */
export const nums = (name: string, min: number, max: number) => numberList(name, { kind: 'float', min, max }, true);

/** Comma-separated integers in [min, max], without repeats, in the order given (seeds). */
export const ints = (name: string, min: number, max: number) => numberList(name, { kind: 'int', min, max }, false);

/** One of `allowed`. */
export function choice<T extends string>(name: string, allowed: readonly T[]) {
  return (v: string): T => {
    if (!allowed.includes(v as T)) throw new InvalidArgumentError(`--${name} must be one of ${allowed.join(', ')} (got ${quote(v)})`);
    return v as T;
  };
}

export type ParseOutcome = { kind: 'ok' } | { kind: 'help' } | { kind: 'error'; message: string };

/**
 * Parses `argv` into `cmd` without exiting: usage errors come back as one line (no "error: " prefix).
 * `from: 'user'` takes the flags alone (tests); 'node' takes process.argv. Any other exception is a bug
 * in a parser and is rethrown.
 */
export function parseArgs(cmd: Command, argv: string[], from: 'user' | 'node' = 'user'): ParseOutcome {
  cmd.exitOverride();
  cmd.configureOutput({ writeErr: () => {} });
  try {
    cmd.parse(argv, { from });
    return { kind: 'ok' };
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return { kind: 'help' };
    return { kind: 'error', message: oneLine(e.message.replace(/^error: /, '')) };
  }
}

/** Parses process.argv; any usage error becomes one line on stderr and exit code 2. */
export function parseOrExit(cmd: Command, argv = process.argv): void {
  let r: ParseOutcome;
  try {
    r = parseArgs(cmd, argv, 'node');
  } catch (e) {
    fail(`could not read the flags: ${(e as Error).message}`);
  }
  if (r.kind === 'help') process.exit(0);
  if (r.kind === 'error') fail(r.message);
}
