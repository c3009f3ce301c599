// One small multiple of the live dashboard, drawn on a canvas by uPlot (made for streaming time series).
// React renders it once; new steps arrive through `source.subscribe` and go straight to uplot.setData, so
// a step costs one canvas redraw (about a millisecond) and no React render. The chart is rebuilt only when
// the set of drawn lines changes (a run or a series appears, compare mode toggles).
import { memo, useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { StepMetrics } from '../../core/record';
import { chartStyle, skippedSteps, type ChartDef, type ChartStyle } from './charts';
import { fmt } from './format';
import { buildChartData, positiveOnly, type ChartData } from './smoothing';

export interface StreamRun {
  name: string;
  colour?: string;
  metrics: readonly (StepMetrics & { step: number })[];
}

/** Where a chart reads its runs: `get` the current ones, `subscribe` to hear of new data. */
export interface RunsSource {
  get(): readonly StreamRun[];
  subscribe(listener: () => void): () => void;
}

export interface StreamChartProps {
  chart: ChartDef;
  source: RunsSource;
  smoothing: number;
  /** Most points per line; more steps are averaged into bins. */
  maxPoints?: number;
  /** Compare mode (several runs): the key above the plot shows dashes per series instead of colours. */
  compare: boolean;
  /** data-testid of the figure (default live-chart-<chart.name>). */
  testId?: string;
}

const HEIGHT = 150;
const DOTS_BELOW = 12; // finite points: fewer are drawn as dots (a lone point of a line is invisible)
const AXIS = { font: '10px system-ui, sans-serif', stroke: '#555', grid: { stroke: '#eee', width: 1 }, ticks: { stroke: '#ccc', width: 1, size: 3 } };
const dashOf = (d?: string) => (d ? d.split(' ').map(Number) : undefined);
const fmtY = (percent?: boolean) => (v: number) => (percent ? `${Math.abs(v) < 0.1 ? Number((v * 100).toPrecision(2)) : Math.round(v * 100)}%` : fmt(v, 2));
const fmtValue = (percent?: boolean) => (v: number | null) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : percent ? `${(v * 100).toFixed(1)} %` : fmt(v, 4));

const NO_DATA: ChartData = { rows: [], lines: [], totalSteps: 0, binned: false };

interface Drawn {
  data: ChartData;
  raw: (number | null)[][]; // per line, unstacked (hover values of the stacked chart)
  marks: number[];
}

/** Columns for uPlot: x = steps, one y column per line; the style chart (one run) stacked. */
function columns(d: ChartData, stacked: boolean): { cols: uPlot.AlignedData; raw: (number | null)[][] } {
  const xs = d.rows.map((r) => r.step);
  const raw = d.lines.map((l) => d.rows.map((r) => r[l.dataKey] ?? null));
  if (!stacked) return { cols: [xs, ...raw], raw };
  // Cumulative from the first series up: line k is drawn at the sum of series 0..k, bands fill between.
  const acc = xs.map(() => 0);
  const cum = raw.map((col) => col.map((v, i) => (acc[i] += v ?? 0)));
  return { cols: [xs, ...cum], raw };
}

function options(chart: ChartDef, style: ChartStyle, width: number, drawn: { current: Drawn }, onDraw: () => void): uPlot.Options {
  const value = fmtValue(chart.percent);
  const stacked = style.stacked;
  const series: uPlot.Series[] = [
    {
      label: 'step',
      value: (_u, v, _si, idx) => {
        const n = idx === null || idx === undefined ? 1 : (drawn.current.data.rows[idx]?.n ?? 1);
        return v === null || v === undefined ? '—' : n > 1 ? `≈ ${Math.round(v)} (mean of ${n})` : String(v);
      },
    },
    ...style.lines.map(
      (l, k): uPlot.Series => ({
        label: l.name,
        stroke: l.colour,
        dash: dashOf(l.dash),
        width: 1.5,
        spanGaps: true,
        fill: stacked ? `${l.colour}80` : undefined,
        points: {
          size: 4,
          show: (u, si) => (u.data[si] as (number | null)[]).reduce<number>((n, v) => (v === null || v === undefined ? n : n + 1), 0) < DOTS_BELOW,
        },
        value: (_u, v, _si, idx) => value(stacked && idx !== null && idx !== undefined ? (drawn.current.raw[k]?.[idx] ?? null) : v),
      }),
    ),
  ];
  return {
    width,
    height: HEIGHT,
    padding: [6, 12, 0, 0],
    legend: { show: true, live: true },
    cursor: { drag: { x: false, y: false, setScale: false }, points: { size: 6 } },
    scales: {
      // one step: uPlot would span 0–100 around it; show step ± 1 instead
      x: { time: false, range: (u, min, max) => (u.data?.[0]?.length === 1 ? [u.data[0][0] - 1, u.data[0][0] + 1] : [min, max]) },
      y: chart.yDomain ? { range: chart.yDomain } : chart.logY ? { distr: 3, auto: true } : { auto: true },
    },
    axes: [
      { ...AXIS, size: 22, values: (_u, vals) => vals.map((v) => (Number.isInteger(v) ? String(v) : '')) },
      { ...AXIS, size: 44, values: (_u, vals) => vals.map(fmtY(chart.percent)) },
    ],
    series,
    bands: stacked ? style.lines.slice(1).map((_l, k): uPlot.Band => ({ series: [k + 2, k + 1], fill: `${style.lines[k + 1].colour}80` })) : undefined,
    hooks: {
      draw: [
        (u) => {
          const marks = drawn.current.marks;
          if (marks.length) {
            const ctx = u.ctx;
            ctx.save();
            ctx.strokeStyle = '#c00';
            ctx.setLineDash([2 * devicePixelRatio, 2 * devicePixelRatio]);
            ctx.lineWidth = devicePixelRatio;
            const { top, height } = u.bbox;
            for (const s of marks.slice(0, 50)) {
              const x = Math.round(u.valToPos(s, 'x', true));
              ctx.beginPath();
              ctx.moveTo(x, top);
              ctx.lineTo(x, top + height);
              ctx.stroke();
            }
            ctx.restore();
          }
          onDraw();
        },
      ],
    },
  };
}

/** One chart of CHARTS, fed by `source`: the only place that turns metrics into drawn series. */
export const StreamChart = memo(function StreamChart({ chart, source, smoothing, maxPoints = 500, compare, testId }: StreamChartProps) {
  const figure = useRef<HTMLElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const empty = useRef<HTMLParagraphElement>(null);
  const bins = useRef<HTMLSpanElement>(null);
  const props = useRef({ chart, source, smoothing, maxPoints });
  props.current = { chart, source, smoothing, maxPoints };
  // the uPlot instance and what it shows; `update` reads the latest props through the ref
  const st = useRef<{ plot: uPlot | null; signature: string; draws: number; drawn: { current: Drawn } } | null>(null);
  st.current ??= { plot: null, signature: '', draws: 0, drawn: { current: { data: NO_DATA, raw: [], marks: [] } } };

  const update = useRef(() => {
    const s = st.current!;
    const el = box.current;
    const fig = figure.current;
    if (!el || !fig) return;
    const { chart, source, smoothing, maxPoints } = props.current;
    const runs = source.get();
    let data = buildChartData(runs, chart.specs, smoothing, maxPoints);
    if (chart.logY) data = { ...data, rows: positiveOnly(data.rows, data.lines.map((l) => l.dataKey)) };
    const style = chartStyle(chart, data, runs);
    const { cols, raw } = columns(data, style.stacked);
    s.drawn.current = { data, raw, marks: skippedSteps(chart, runs) ?? [] };
    fig.setAttribute('data-points', String(data.rows.length));
    fig.setAttribute('data-lines', String(style.lines.length));
    if (bins.current) bins.current.textContent = data.binned ? ` · ${data.rows.length} bins of ${data.totalSteps} steps` : '';
    const none = data.rows.length === 0 || style.lines.length === 0;
    if (empty.current) empty.current.hidden = !none;
    if (none) {
      s.plot?.destroy();
      s.plot = null;
      s.signature = '';
      return;
    }
    const sig = JSON.stringify([chart.name, chart.logY, chart.yDomain, style.lines.map((l) => [l.dataKey, l.name, l.colour, l.dash]), style.stacked]);
    if (!s.plot || sig !== s.signature) {
      s.plot?.destroy();
      s.signature = sig;
      const onDraw = () => fig.setAttribute('data-draws', String(++s.draws));
      s.plot = new uPlot(options(chart, style, Math.max(120, el.clientWidth), s.drawn, onDraw), cols, el);
    } else s.plot.setData(cols);
  }).current;

  // new data from the source: straight to the canvas
  useEffect(() => {
    update();
    return source.subscribe(update);
  }, [source, update]);
  // a new chart definition, smoothing or point budget: recompute (the plot is rebuilt if its lines changed)
  useEffect(() => update(), [chart, smoothing, maxPoints, update]);
  useEffect(() => {
    const ro = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => {
      const plot = st.current?.plot;
      const w = box.current?.clientWidth ?? 0;
      if (plot && w > 0 && Math.abs(w - plot.width) > 1) plot.setSize({ width: w, height: HEIGHT });
    });
    if (box.current) ro?.observe(box.current);
    return () => {
      ro?.disconnect();
      st.current?.plot?.destroy();
      if (st.current) st.current.plot = null;
    };
  }, []);

  const legend = chartStyle(chart, NO_DATA, compare ? [{}, {}] : [{}]).legend;
  return (
    <figure className="v-chart" data-testid={testId ?? `live-chart-${chart.name}`} data-points={0} ref={figure}>
      <figcaption>
        <strong>{chart.title}</strong>
        {chart.hint && <span className="v-muted v-small"> — {chart.hint}</span>}
        <span className="v-muted v-small" ref={bins} />
      </figcaption>
      {legend.length > 1 && (
        <ul className="v-legend v-legend-small">
          {legend.map((e) => (
            <li key={e.label}>
              <svg width="18" height="6" aria-hidden="true">
                <line x1="0" y1="3" x2="18" y2="3" stroke={e.colour} strokeWidth="2" strokeDasharray={e.dash} />
              </svg>{' '}
              {e.label}
            </li>
          ))}
        </ul>
      )}
      <div className="v-chart-box v-stream" role="figure" aria-label={`${chart.title} over training steps (hover for values)`} ref={box}>
        <p className="v-empty v-muted v-small" ref={empty}>no data yet</p>
      </div>
    </figure>
  );
});
