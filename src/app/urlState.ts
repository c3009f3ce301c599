// The whole config in the query string, generated from the config table. Parsing is forgiving
// (coerceValue clamps or defaults) and every change it makes becomes a visible notice.
import { BROWSER_ORDER, type BackendName } from '../core/backendNames';
import { ALGOS, CONFIG_KEYS, coerceValue, defaultConfig, type Algo, type Config, type ConfigKey } from '../core/config';

export interface UrlState {
  config: Config;
  compare: Algo[] | null; // 2-3 algorithms trained side by side, or null for a single run
  backend: BackendName | 'auto';
}

/** Query parameters the app understands beyond the config keys. */
const APP_PARAMS = ['compare', 'backend'] as const;

export function parseUrlState(search: string): UrlState & { notices: string[] } {
  const params = new URLSearchParams(search);
  const config = defaultConfig() as Record<string, unknown>;
  const notices: string[] = [];
  let compare: Algo[] | null = null;
  let backend: BackendName | 'auto' = 'auto';
  for (const [key, raw] of params) {
    if ((CONFIG_KEYS as string[]).includes(key)) {
      const r = coerceValue(key as ConfigKey, raw);
      config[key] = r.value;
      if (r.notice) notices.push(r.notice);
    } else if (key === 'backend') {
      if ((BROWSER_ORDER as string[]).includes(raw)) backend = raw as BackendName;
      else if (raw !== 'auto') notices.push(`backend=${raw} is not one of ${BROWSER_ORDER.join(', ')}; choosing automatically`);
    } else if (key === 'compare') {
      const parsed = parseCompare(raw);
      compare = parsed.algos;
      if (parsed.notice) notices.push(parsed.notice);
    } else {
      notices.push(`unknown parameter "${key}" ignored`);
    }
  }
  return { config: config as Config, compare, backend, notices };
}

function parseCompare(raw: string): { algos: Algo[] | null; notice?: string } {
  const parts = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const algos = [...new Set(parts.filter((p): p is Algo => (ALGOS as string[]).includes(p)))].slice(0, 3);
  const dropped = parts.length !== algos.length;
  if (algos.length < 2) return { algos: null, notice: `compare=${raw} needs 2–3 of ${ALGOS.join(', ')}; showing a single run` };
  return { algos, notice: dropped ? `compare=${raw}: kept ${algos.join(',')} (2–3 distinct algorithms)` : undefined };
}

/** Every config key (so a shared link does not depend on today's defaults), then the app params. */
export function formatUrlState(s: UrlState): string {
  const p = new URLSearchParams();
  for (const k of CONFIG_KEYS) p.set(k, String(s.config[k]));
  if (s.compare) p.set('compare', s.compare.join(','));
  if (s.backend !== 'auto') p.set('backend', s.backend);
  return `?${p.toString()}`;
}

export { APP_PARAMS };
