// One control generated from a config-table entry: slider + number box, select, or checkbox, with
// its one-sentence help and a "needs reset" tag for keys that cannot change mid-run.
import { useEffect, useState } from 'react';
import { rangeText, spec, type ConfigKey, type NumSpec } from '../../core/config';
import { edit } from '../store/actions';
import { useApp } from '../store/store';

const LABELS: Partial<Record<ConfigKey, string>> = {
  rho: 'ρ', delta: 'δ', batchSize: 'B', groupSize: 'G', lr: 'learning rate', epsLow: 'ε_low', epsHigh: 'ε_high', beta: 'β', mu: 'μ',
  luffyGamma: 'LUFFY γ', advScale: 'advantage scale', maxNewTokens: 'max new tokens',
};
export const labelOf = (k: ConfigKey) => LABELS[k] ?? k;

function NumberControl({ k, value, s }: { k: ConfigKey; value: number; s: NumSpec }) {
  const [text, setText] = useState(String(value));
  const [bad, setBad] = useState(false);
  useEffect(() => setText(String(value)), [value]);
  // Log-scaled keys (lr, γ) slide over log10 so every decade gets the same travel.
  const toSlider = (v: number) => (s.log ? Math.log10(v) : v);
  const fromSlider = (v: number) => (s.log ? Number((10 ** v).toPrecision(2)) : v);
  const commit = (raw: string) => {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n)) {
      setBad(true);
      setText(String(value));
      return;
    }
    setBad(false);
    edit(k, n);
  };
  return (
    <span className="num">
      <input
        type="range" aria-label={`${labelOf(k)} slider`} data-testid={`slider-${k}`}
        min={toSlider(s.min)} max={toSlider(s.max)} step={s.log ? 0.01 : s.step}
        value={toSlider(value)} onChange={(e) => edit(k, fromSlider(Number(e.target.value)))}
      />
      <input
        type="text" inputMode="decimal" aria-label={labelOf(k)} data-testid={`input-${k}`} className={bad ? 'bad' : ''}
        value={text} onChange={(e) => setText(e.target.value)} onBlur={(e) => commit(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && commit((e.target as HTMLInputElement).value)}
        title={`${rangeText(k)}${bad ? ' — that was not a number; kept the old value' : ''}`}
      />
    </span>
  );
}

export function ConfigControl({ k }: { k: ConfigKey }) {
  const value = useApp((st) => st.draft[k]);
  const applied = useApp((st) => st.applied[k]);
  const s = spec(k);
  const pending = !s.live && value !== applied;
  return (
    <div className={`control ${pending ? 'pending' : ''}`} data-key={k}>
      <div className="control-row">
        <label className="control-label" title={k}>{labelOf(k)}</label>
        {s.kind === 'bool' ? (
          <input type="checkbox" aria-label={labelOf(k)} data-testid={`input-${k}`} checked={value as boolean} onChange={(e) => edit(k, e.target.checked)} />
        ) : s.kind === 'enum' ? (
          <select aria-label={labelOf(k)} data-testid={`input-${k}`} value={value as string} onChange={(e) => edit(k, e.target.value)}>
            {s.options.map((o) => <option key={o} value={o}>{o}</option>)}
          </select>
        ) : (
          <NumberControl k={k} value={value as number} s={s} />
        )}
        {!s.live && <span className={`tag ${pending ? 'tag-pending' : ''}`} title="changing this restarts the run from the checkpoint">needs reset</span>}
      </div>
      <div className="help">{s.help}</div>
    </div>
  );
}
