// The whole config in the query string, generated from the config table. Parsing is forgiving
// (coerceValue clamps or defaults) and every change it makes becomes a visible notice.
import { BROWSER_ORDER, type BackendName } from '../core/backendNames';
import { ALGOS, CONFIG_KEYS, coerceValue, defaultConfig, type Algo, type Config, type ConfigKey } from '../core/config';
import { presetById, PRESETS } from './presets';

export interface UrlState {
  config: Config;
  compare: Algo[] | null; // 2-3 algorithms trained side by side, or null for a single run
  backend: BackendName | 'auto';
  /** `?embed=inspector,ratios`: show only these panels (in this order), for a slide; null = the whole page. */
  embed?: Panel[] | null;
  /** `?tour=1` opens the guided tour, `?tour=0` never opens it by itself; null = first visit only. */
  tour?: boolean | null;
  /** `?preset=own-words`: a story preset (its settings first, then the URL's own parameters). */
  preset?: string | null;
}

/** Panels `?embed=` can name. In embed mode a compact transport (play, step, counter, backend) is always
 *  shown so the slide can train; `header` asks for the full header instead. */
export const PANELS = ['header', 'controls', 'charts', 'inspector', 'ratios', 'explain', 'compare', 'checkpoint', 'ablation'] as const;
export type Panel = (typeof PANELS)[number];

export function parseUrlState(search: string): UrlState & { notices: string[] } {
  const params = new URLSearchParams(search);
  const config = defaultConfig() as Record<string, unknown>;
  const notices: string[] = [];
  let compare: Algo[] | null = null;
  let backend: BackendName | 'auto' = 'auto';
  let embed: Panel[] | null = null;
  let tour: boolean | null = null;
  let preset: string | null = null;
  // A preset goes first, so the URL's own parameters can still change any of its settings.
  const wanted = params.get('preset');
  if (wanted !== null) {
    const p = presetById(wanted);
    if (p) {
      preset = p.id;
      Object.assign(config, p.settings);
      compare = p.compare;
    } else notices.push(`preset=${wanted} is not one of ${PRESETS.map((x) => x.id).join(', ')}; ignored`);
  }
  for (const [key, raw] of params) {
    if (key === 'preset') continue;
    if ((CONFIG_KEYS as string[]).includes(key)) {
      const r = coerceValue(key as ConfigKey, raw);
      config[key] = r.value;
      if (r.notice) notices.push(r.notice);
    } else if (key === 'backend') {
      if ((BROWSER_ORDER as string[]).includes(raw)) backend = raw as BackendName;
      else if (raw !== 'auto') notices.push(`backend=${raw} is not one of ${BROWSER_ORDER.join(', ')}; choosing automatically`);
    } else if (key === 'compare') {
      // A bad value leaves what was there (a preset's comparison), so the state's own link reads back the same.
      const parsed = parseCompare(raw, compare);
      compare = parsed.algos;
      if (parsed.notice) notices.push(parsed.notice);
    } else if (key === 'embed') {
      const parsed = parseEmbed(raw);
      embed = parsed.panels;
      if (parsed.notice) notices.push(parsed.notice);
    } else if (key === 'tour') {
      if (raw === '1' || raw === '0') tour = raw === '1';
      else notices.push(`tour=${raw} is not 0 or 1; ignored`);
    } else {
      notices.push(`unknown parameter "${key}" ignored`);
    }
  }
  return { config: config as Config, compare, backend, embed, tour, preset, notices: notices.map(noticeLine) };
}

/** A notice quotes what the link said; a newline or a page of text in it must not break the message list. */
function noticeLine(n: string): string {
  const one = n.replace(/\s*[\r\n]+\s*/g, ' ');
  return one.length > 300 ? `${one.slice(0, 297)}...` : one;
}

function parseCompare(raw: string, before: Algo[] | null): { algos: Algo[] | null; notice?: string } {
  const parts = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const algos = [...new Set(parts.filter((p): p is Algo => (ALGOS as string[]).includes(p)))].slice(0, 3);
  const dropped = parts.length !== algos.length;
  if (algos.length < 2) return { algos: before, notice: `compare=${raw} needs 2–3 of ${ALGOS.join(', ')}; ${before ? `keeping ${before.join(',')}` : 'showing a single run'}` };
  return { algos, notice: dropped ? `compare=${raw}: kept ${algos.join(',')} (2–3 distinct algorithms)` : undefined };
}

/** `embed=inspector,ratios` → the known panel names, in order, without repeats; unknown names make a notice.
 *  No known name at all → null (the whole page). */
export function parseEmbed(raw: string): { panels: Panel[] | null; notice?: string } {
  const parts = raw.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const panels = [...new Set(parts.filter((p): p is Panel => (PANELS as readonly string[]).includes(p)))];
  const unknown = parts.filter((p) => !(PANELS as readonly string[]).includes(p));
  if (panels.length === 0) return { panels: null, notice: `embed=${raw} names no panel (choose from ${PANELS.join(', ')}); showing the whole page` };
  return { panels, notice: unknown.length ? `embed: unknown panel${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')} ignored (choose from ${PANELS.join(', ')})` : undefined };
}

/** Every config key (so a shared link does not depend on today's defaults), then the app params. */
export function formatUrlState(s: UrlState): string {
  const p = new URLSearchParams();
  for (const k of CONFIG_KEYS) p.set(k, String(s.config[k]));
  if (s.compare) p.set('compare', s.compare.join(','));
  if (s.backend !== 'auto') p.set('backend', s.backend);
  if (s.embed) p.set('embed', s.embed.join(','));
  if (s.tour != null) p.set('tour', s.tour ? '1' : '0');
  if (s.preset) p.set('preset', s.preset);
  return `?${p.toString()}`;
}
