// ρ × δ ablation: a grid of short runs in the worker, with progress, cancel and heatmaps; or a grid file
// from `npm run ablate` (more seeds, in parallel processes) opened and drawn the same way.
import { useState } from 'react';
import { ABLATION_DEFAULTS } from '../../core/ablationGrid';
import { stepsPerSecond } from '../store/logic';
import { cancelAblation, openAblationFile, startAblation } from '../store/actions';
import { useApp } from '../store/store';
import { AblationHeatmap } from '../views';

const D = ABLATION_DEFAULTS;
/** A sweep longer than this is better run with `npm run ablate` (parallel, several seeds). */
const PATIENCE_MIN = 10;

export function AblationPanel() {
  const ab = useApp((s) => s.ablation);
  const ready = useApp((s) => s.ready);
  const sps = useApp((s) => stepsPerSecond(s.tickTimes));
  const algo = useApp((s) => (s.applied.algo === 'luffy' ? 'luffy' : 'repo'));
  const [steps, setSteps] = useState<number>(D.cellSteps);
  const [evalSize, setEvalSize] = useState<number>(D.evalSize);
  const int = (v: string, lo: number, hi: number, d: number) => {
    const x = Math.round(Number(v));
    return Number.isFinite(x) ? Math.min(hi, Math.max(lo, x)) : d;
  };
  const cells = D.rhos.length * D.deltas.length;
  const minutes = sps > 0 ? (cells * steps) / sps / 60 : NaN;
  const estimate = !Number.isFinite(minutes)
    ? 'train a step first for a time estimate'
    : minutes > PATIENCE_MIN
      ? `≈ ${minutes.toFixed(0)} min at this backend's ${(1 / sps).toFixed(1)} s/step: too slow here for ${steps} steps per cell. Run \`npm run ablate\` and open its grid file below, or lower steps/cell (below ${D.cellSteps} the cells hardly differ).`
      : `≈ ${minutes.toFixed(1)} min at ${(1 / sps).toFixed(1)} s/step`;
  return (
    <section className="panel ablation" aria-label="ablation">
      <h2>ρ × δ ablation ({algo})</h2>
      <p className="help">
        Every cell trains {algo} from the start checkpoint and seed for {steps} steps with its own ρ and δ (all other settings as now), then evaluates
        greedily on fixed hard and easy problems. Training pauses while it runs. ρ ∈ {`{${D.rhos.join(', ')}}`}, δ ∈ {`{${D.deltas.join(', ')}}`}: δ = 0.25 fails
        only malformed answers, δ = 0.5 every wrong one. At {D.cellSteps} steps per cell the δ columns differ (no injections at all at δ = 0.25) and the
        injection rate falls with ρ; separating ρ by hard accuracy needs about 100 steps per cell (docs/SCIENCE.md).
      </p>
      <div className="row">
        <label>steps/cell <input type="number" min={1} max={500} value={steps} onChange={(e) => setSteps(int(e.target.value, 1, 500, D.cellSteps))} /></label>
        <label>eval problems <input type="number" min={5} max={400} value={evalSize} onChange={(e) => setEvalSize(int(e.target.value, 5, 400, D.evalSize))} /></label>
      </div>
      <div className="row">
        {ab.running ? (
          <button onClick={cancelAblation} data-testid="ablation-cancel">Cancel</button>
        ) : (
          <button disabled={!ready} onClick={() => startAblation([...D.rhos], [...D.deltas], steps, evalSize)} data-testid="ablation-start">
            Run {D.rhos.length}×{D.deltas.length} sweep
          </button>
        )}
        <span className="help" data-testid="ablation-estimate">{estimate}</span>
        {(ab.running || (ab.total > 0 && !ab.source)) && (
          <span className="progress" data-testid="ablation-status">
            <progress max={ab.total} value={ab.done} aria-label="sweep progress" /> {ab.done}/{ab.total}{ab.cancelled ? ' (cancelled)' : ''}
          </span>
        )}
      </div>
      <div className="row">
        <label>
          open grid file (npm run ablate){' '}
          <input type="file" accept=".json,application/json" data-testid="ablation-file" onChange={(e) => { const f = e.target.files?.[0]; if (f) void openAblationFile(f); e.target.value = ''; }} />
        </label>
        {ab.source && <span className="help" data-testid="ablation-source">{ab.source}</span>}
      </div>
      {ab.total > 0 && (
        <AblationHeatmap rhos={ab.rhos} deltas={ab.deltas} cells={ab.cells} metrics={['hardAcc', 'injectionRate', 'easyAcc']} running={ab.running} progress={ab.done / ab.total} />
      )}
    </section>
  );
}
