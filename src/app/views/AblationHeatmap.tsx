// ρ × δ ablation: hard accuracy and injection rate per grid cell, filling in as sweep results arrive.
import { memo } from 'react';
import { pct } from './format';
import { type AblationCell, filledCount, findCell, heatColour, textColourOn } from './heatmap';

type Metric = 'hardAcc' | 'injectionRate' | 'easyAcc';
const TITLES: Record<Metric, string> = { hardAcc: 'Hard accuracy', injectionRate: 'Injection rate', easyAcc: 'Easy accuracy' };

export interface AblationHeatmapProps {
  rhos: readonly number[];
  deltas: readonly number[];
  cells: readonly AblationCell[];
  /** Which heatmaps to draw, in order (default: hard accuracy and injection rate). */
  metrics?: readonly Metric[];
  running?: boolean;
  /** Share of the sweep done, in [0,1] (e.g. steps done / steps planned over all cells). */
  progress?: number;
}

const Grid = memo(function Grid({ metric, rhos, deltas, cells }: { metric: Metric; rhos: readonly number[]; deltas: readonly number[]; cells: readonly AblationCell[] }) {
  return (
    <figure className="v-heat" data-testid={`ablation-heatmap-${metric}`} aria-label={`${TITLES[metric]} over ρ (rows) and δ (columns)`}>
      <figcaption>
        {TITLES[metric]} <span className="v-muted v-small">({filledCount(cells, rhos, deltas, metric)} of {rhos.length * deltas.length} cells)</span>
      </figcaption>
      <table className="v-heat-table">
        <thead>
          <tr>
            <th scope="col" className="v-heat-corner">
              ρ \ δ
            </th>
            {deltas.map((d) => (
              <th key={d} scope="col">
                {d}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rhos.map((r) => (
            <tr key={r}>
              <th scope="row">{r}</th>
              {deltas.map((d) => {
                const v = findCell(cells, r, d)?.[metric];
                const bg = heatColour(v);
                return (
                  <td key={d} style={{ background: bg, color: textColourOn(bg) }} data-testid="ablation-cell" data-rho={r} data-delta={d} data-value={v ?? ''} title={`ρ = ${r}, δ = ${d}: ${TITLES[metric]} ${pct(v)}`}>
                    {v === undefined || !Number.isFinite(v) ? '…' : pct(v, 0)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
});

export const AblationHeatmap = memo(function AblationHeatmap({ rhos, deltas, cells, metrics = ['hardAcc', 'injectionRate'], running, progress }: AblationHeatmapProps) {
  const stops = [0, 0.25, 0.5, 0.75, 1];
  return (
    <section className="v-panel v-ablation" data-testid="ablation-heatmap" aria-label="ρ × δ ablation" data-running={running ? 'true' : 'false'}>
      <header className="v-panel-head">
        <h3>RePO ablation: ρ × δ</h3>
        {running !== undefined && (
          <span className="v-small" data-testid="ablation-progress">
            {running ? 'running' : 'idle'}
            {progress !== undefined && Number.isFinite(progress) ? ` · ${pct(progress, 0)} done` : ''}
          </span>
        )}
      </header>
      {progress !== undefined && Number.isFinite(progress) && <progress className="v-progress" max={1} value={Math.min(1, Math.max(0, progress))} aria-label="Sweep progress" />}
      {rhos.length === 0 || deltas.length === 0 ? (
        <p className="v-muted">No grid chosen.</p>
      ) : (
        <div className="v-heat-row">
          {metrics.map((m) => (
            <Grid key={m} metric={m} rhos={rhos} deltas={deltas} cells={cells} />
          ))}
        </div>
      )}
      <div className="v-heat-legend" role="group" aria-label="Colour legend: light = 0 %, dark = 100 %">
        {stops.map((v) => {
          const bg = heatColour(v);
          return (
            <span key={v} style={{ background: bg, color: textColourOn(bg) }}>
              {pct(v, 0)}
            </span>
          );
        })}
        <span className="v-muted v-small">… = not finished yet</span>
      </div>
      <p className="v-muted v-small">Rows: ρ (inject when γ_fail ≥ ρ). Columns: δ (a rollout with reward below δ counts as failed, and o_rep must reach δ to be injected).</p>
    </section>
  );
});
