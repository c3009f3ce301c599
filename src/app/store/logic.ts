// Pure state logic behind the store's actions (unit-tested without React or a worker).
import { CONFIG_KEYS, coerceValue, spec, type Config, type ConfigKey } from '../../core/config';

/** Keys that differ between the running config and the edited one and cannot apply live. */
export function pendingResetKeys(applied: Config, draft: Config): ConfigKey[] {
  return CONFIG_KEYS.filter((k) => !spec(k).live && applied[k] !== draft[k]);
}

/**
 * One edit from a control. The value is coerced through the config table, so NaN or an
 * out-of-range number never reaches the worker. Live keys also change the running config.
 */
export function editConfig(applied: Config, draft: Config, key: ConfigKey, raw: unknown): { applied: Config; draft: Config; live: boolean; notice?: string } {
  const { value, notice } = coerceValue(key, raw);
  const nextDraft = { ...draft, [key]: value } as Config;
  const live = spec(key).live;
  return { applied: live ? ({ ...applied, [key]: value } as Config) : applied, draft: nextDraft, live, notice };
}

/** Steps per second over the recent tick timestamps (ms), counting `perTick` steps per tick. */
export function stepsPerSecond(times: number[], perTick = 1): number {
  if (times.length < 2) return 0;
  const span = (times[times.length - 1] - times[0]) / 1000;
  return span > 0 ? ((times.length - 1) * perTick) / span : 0;
}

/** Keeps the newest `n` timestamps. */
export function pushTime(times: number[], t: number, n = 10): number[] {
  return [...times.slice(-(n - 1)), t];
}

/** A fresh random seed within the table's range, different from the current one. */
export function newSeed(current: number, random = Math.random): number {
  const max = spec('seed').kind === 'int' ? (spec('seed') as { max: number }).max : 2 ** 31 - 1;
  let s = current;
  while (s === current) s = Math.floor(random() * Math.min(max, 1e6));
  return s;
}
