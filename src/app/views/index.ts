/**
 * Presentational views of the playground. Pure, memoised components: plain props in, no store, no worker.
 * Importing this module also loads views.css (all classes prefixed `v-`).
 *
 * Components and their data-testids (for e2e):
 * - GroupInspector({ record, groupIndex, onGroupChange, colourBy, onColourByChange }) (ρ, δ and the method's rules from record.settings)
 *     `group-inspector` (data-step, data-group) · `group-prev` / `group-next` / `group-position` ("group i of B")
 *     `group-question` / `group-answer` · `gamma-fail` (data-gamma) · `injection-decision`
 *     (data-decision = none | gate-closed | verifier-rejected | injected) · `colour-by` (radio group) / `colour-legend`
 *     `group-left-out` (only when the group is not in the loss) · `rollout`, one per row (data-source, data-style,
 *     data-injected, data-failed) · `injection-sources` with `rephrase-prompt`, `rephrase-text`, `expert-text`.
 *     groupIndex is clamped to the step's groups; onGroupChange receives the wanted index (the caller clamps too).
 * - RatioPanel({ runs: { name, record?, history }[], clip?: { epsLow, epsHigh } })
 *     `ratio-panel` · `ratio-scale-log` / `ratio-scale-linear` (scale toggle, internal state) · `ratio-run` per run
 *     (data-run) · `ratio-histogram` per (run, source) (data-source, data-run, data-count) with `ratio-histogram-stats`
 *     · `ratio-variance` (line chart) · `behaviour-histogram` (+ `-stats`) per injected source · `behaviour-vs-loss`.
 * - LiveChartsFrame({ runs: { name, colour? }[], smoothing, onSmoothingChange, tools?, children }) with one
 *   StreamChart({ chart, source: { get, subscribe }, smoothing, maxPoints?, compare }) per chart of CHARTS: a uPlot
 *   canvas that subscribes to `source` and redraws on new data without a React render.
 *     `live-charts` · `smoothing` (range input 0–0.99) · `live-legend` (compare mode) · `live-chart-<name>` (data-points:
 *     rows drawn, data-lines: lines drawn, data-draws: canvas redraws so far) for name in reward, eval, injection, clip,
 *     entropy, kl, loss, gradnorm, style (see CHARTS).
 * - AblationHeatmap({ rhos, deltas, cells: { rho, delta, hardAcc?, injectionRate?, easyAcc? }[], metrics?, running?, progress? })
 *     `ablation-heatmap` (data-running) · `ablation-heatmap-<metric>` · `ablation-cell` (data-rho, data-delta, data-value)
 *     · `ablation-progress`. Values are fractions in [0,1]; progress in [0,1].
 * - ExplainPanel({ algo?, expanded? })  `explain-panel` · `explain-<term>` (gamma, rho, delta, adv, ratio, clip, shaping, orep, behaviour).
 * - StepMetricsStrip({ step?, metrics?, lastEval?, backend? })  `step-metrics` · `strip-*` items · `update-skipped`
 *     (only when metrics.updateSkipped).
 *
 * Live series are drawn by uPlot (canvas; hover shows every line's value at the step), downsampled to `maxPoints`
 * bins (default LIVE_MAX_POINTS); so are the ratio histograms (bars, redrawn per step). Heatmaps are SVG.
 */
import './views.css';

export { GroupInspector, type GroupInspectorProps } from './GroupInspector';
export { RatioPanel, type RatioPanelProps, type RatioRun } from './RatioPanel';
export { LiveChartsFrame, LIVE_MAX_POINTS, type LiveChartsFrameProps } from './LiveChartsFrame';
export { StreamChart, type StreamChartProps, type RunsSource, type StreamRun } from './StreamChart';
export { CHARTS, chartStyle, type ChartDef, type ChartStyle } from './charts';
export { AblationHeatmap, type AblationHeatmapProps } from './AblationHeatmap';
export type { AblationCell } from './heatmap';
export { ExplainPanel, type ExplainPanelProps } from './ExplainPanel';
export { StepMetricsStrip, type StepMetricsStripProps } from './StepMetricsStrip';
export { COLOUR_MODES, type ColourBy } from './tokenColour';
export { ema, buildChartData } from './smoothing';
export { RUN_COLOURS, runColour } from './format';
