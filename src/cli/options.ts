// Commander options generated from the config table: `--<key> <value>` for every key, each parsed
// with the table's range so a bad value fails with the accepted range in one line.
import { Command, InvalidArgumentError, Option } from 'commander';
import { CONFIG_KEYS, parseValue, rangeText, spec, type Config, type ConfigKey } from '../core/config';

export function addConfigOptions(cmd: Command, overrides: Partial<Config> = {}): Command {
  for (const key of CONFIG_KEYS) {
    const s = spec(key);
    const def = key in overrides ? overrides[key] : s.default;
    const opt = new Option(`--${key} <value>`, `${s.help} (${rangeText(key)}; default ${String(def)})`).argParser((raw: string) => {
      const p = parseValue(key, raw);
      if (!p.ok) throw new InvalidArgumentError(p.error);
      return p.value;
    });
    cmd.addOption(opt);
  }
  return cmd;
}

export function configFromOptions(opts: Record<string, unknown>, base: Config): Config {
  const c = { ...base } as Record<string, unknown>;
  for (const key of CONFIG_KEYS) if (opts[key] !== undefined) c[key] = opts[key];
  return c as Config;
}

export type { ConfigKey };
