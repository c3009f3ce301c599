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
