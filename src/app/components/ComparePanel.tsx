// Compare mode: 2–3 algorithms from the same checkpoint and seed, trained in lockstep.
import { ALGOS, type Algo } from '../../core/config';
import { defaultCompare, setCompare } from '../store/actions';
import { useApp } from '../store/store';

export function ComparePanel() {
  const compare = useApp((s) => s.compare);
  const ready = useApp((s) => s.ready);
  const toggle = (a: Algo) => {
    const cur = compare ?? [];
    const next = cur.includes(a) ? cur.filter((x) => x !== a) : [...cur, a].slice(-3);
    if (next.length >= 2) setCompare(next);
  };
  return (
    <section className="panel" aria-label="compare" data-testid="compare-panel">
      <h2>Compare</h2>
      <label className="row">
        <input type="checkbox" data-testid="compare-toggle" disabled={!ready} checked={compare !== null}
          onChange={(e) => setCompare(e.target.checked ? defaultCompare() : null)} />
        train 2–3 algorithms side by side (same checkpoint, seed and settings; one step of each per tick)
      </label>
      {compare && (
        <div className="row algos">
          {ALGOS.map((a) => (
            <label key={a}>
              <input type="checkbox" checked={compare.includes(a)} disabled={compare.includes(a) && compare.length <= 2} onChange={() => toggle(a)} /> {a}
            </label>
          ))}
        </div>
      )}
    </section>
  );
}
