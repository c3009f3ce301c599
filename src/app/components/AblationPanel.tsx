// ρ × δ ablation: a grid of short runs in the worker, with progress, cancel and heatmaps.
import { useState } from 'react';
import { cancelAblation, startAblation } from '../store/actions';
import { useApp } from '../store/store';
import { AblationHeatmap } from '../views';

export function AblationPanel() {
  const ab = useApp((s) => s.ablation);
  const ready = useApp((s) => s.ready);
  const algo = useApp((s) => (s.applied.algo === 'luffy' ? 'luffy' : 'repo'));
  const [n, setN] = useState(3);
  const [steps, setSteps] = useState(5);
  const [evalSize, setEvalSize] = useState(20);
  const int = (v: string, lo: number, hi: number, d: number) => {
    const x = Math.round(Number(v));
    return Number.isFinite(x) ? Math.min(hi, Math.max(lo, x)) : d;
  };
  return (
    <section className="panel ablation" aria-label="ablation">
      <h2>ρ × δ ablation ({algo})</h2>
      <p className="help">
        Every cell trains {algo} from the start checkpoint and seed for a few steps with its own ρ and δ (all other settings as now), then
        evaluates greedily on fixed hard and easy problems. Training pauses while it runs.
      </p>
      <div className="row">
        <label>grid <input type="number" min={2} max={5} value={n} onChange={(e) => setN(int(e.target.value, 2, 5, 3))} aria-label="grid size" /></label>
        <label>steps/cell <input type="number" min={1} max={100} value={steps} onChange={(e) => setSteps(int(e.target.value, 1, 100, 5))} aria-label="steps per cell" /></label>
        <label>eval problems <input type="number" min={5} max={200} value={evalSize} onChange={(e) => setEvalSize(int(e.target.value, 5, 200, 20))} aria-label="eval problems" /></label>
      </div>
      <div className="row">
        {ab.running ? (
          <button onClick={cancelAblation} data-testid="ablation-cancel">Cancel</button>
        ) : (
          <button disabled={!ready} onClick={() => startAblation(n, steps, evalSize)} data-testid="ablation-start">Run {n}×{n} sweep</button>
        )}
        {(ab.running || ab.total > 0) && (
          <span className="progress" data-testid="ablation-status">
            <progress max={ab.total} value={ab.done} /> {ab.done}/{ab.total}{ab.cancelled ? ' (cancelled)' : ''}
          </span>
        )}
      </div>
      {ab.total > 0 && (
        <AblationHeatmap rhos={ab.rhos} deltas={ab.deltas} cells={ab.cells} metrics={['hardAcc', 'injectionRate', 'easyAcc']} running={ab.running} progress={ab.done / ab.total} />
      )}
    </section>
  );
}
