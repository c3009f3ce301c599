// Shared CLI helpers: one-line errors with exit code 2, numeric parsers that name the accepted range.
import { InvalidArgumentError } from 'commander';

export function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

export function int(name: string, min: number, max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!/^-?\d+$/.test(v.trim()) || !Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`--${name} takes an integer in [${min}, ${max}], got "${v}"`);
    }
    return n;
  };
}

/** A comma-separated list, optionally restricted to `allowed` values. */
export function list<T extends string>(name: string, allowed: readonly T[] | null) {
  return (v: string): T[] => {
    const items = v.split(',').map((s) => s.trim()).filter(Boolean);
    const bad = allowed ? items.filter((s) => !allowed.includes(s as T)) : [];
    if (items.length === 0 || bad.length) throw new InvalidArgumentError(`--${name} takes a comma-separated list${allowed ? ` of ${allowed.join(', ')}` : ''}, got "${v}"`);
    return items as T[];
  };
}
