// The bars of one ratio histogram on a uPlot canvas. It was recharts: mounting the panel's 5–7 charts took
// 100–450 ms on the main thread and every step re-rendered them for ~110 ms (recharts 3 keeps a redux store
// and tick-measuring selectors per chart; explicit ticks, no grid or no reference lines did not change that).
// Here React renders the box once; new bins go to uplot.setData (about a millisecond per chart).
import { memo, useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { fmt } from './format';
import { binReadout, countRange, countTick, histogramColumns, labelRows, type HistRow } from './histogram';

export interface HistogramCanvasProps {
  rows: readonly HistRow[];
  domain: [number, number];
  colour: string;
  logCounts: boolean;
  /** x positions of dashed reference lines (the clip boundaries, or r = 1). */
  marks: readonly { x: number; label: string }[];
  /** What the x-axis measures (for the hover readout). */
  quantity: string;
  /** Accessible name of the chart. */
  label: string;
}

const HEIGHT = 140;
let lastWidth = 260; // the width the last histogram got: a good first guess for the next one
const AXIS = { font: '10px system-ui, sans-serif', stroke: '#555', grid: { stroke: '#eee', width: 1 }, ticks: { stroke: '#ccc', width: 1, size: 3 } };

function drawMarks(u: uPlot, marks: HistogramCanvasProps['marks']) {
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox;
  const px = devicePixelRatio;
  ctx.save();
  ctx.strokeStyle = '#555';
  ctx.fillStyle = '#333';
  ctx.lineWidth = px;
  ctx.setLineDash([3 * px, 3 * px]);
  ctx.font = `${9 * px}px system-ui, sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const shown = marks.map((m) => ({ ...m, px: Math.round(u.valToPos(m.x, 'x', true)) })).filter((m) => Number.isFinite(m.px) && m.px >= left && m.px <= left + width);
  const rows = labelRows(shown.map((m) => ({ x: m.px, width: ctx.measureText(m.label).width })));
  shown.forEach((m, i) => {
    ctx.beginPath();
    ctx.moveTo(m.px, top);
    ctx.lineTo(m.px, top + height);
    ctx.stroke();
    // Only labels that clear their neighbours on one row: on a log axis 1−ε, r = 1 and 1+ε sit a few pixels
    // apart and stacked labels over the bars were unreadable. The caption lists every mark in words.
    if (rows[i] === 0) ctx.fillText(m.label, m.px, top + px);
  });
  ctx.restore();
}

export const HistogramCanvas = memo(function HistogramCanvas(props: HistogramCanvasProps) {
  const { rows, domain, logCounts, marks, colour, label } = props;
  const box = useRef<HTMLDivElement>(null);
  const readout = useRef<HTMLDivElement>(null);
  const latest = useRef(props);
  latest.current = props;
  const plot = useRef<uPlot | null>(null);

  // every prop change: new columns and a redraw; the plot is built on the first call only
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const cols = histogramColumns(rows, logCounts);
    if (!plot.current) {
      const opts: uPlot.Options = {
        // not el.clientWidth: reading it forces a layout of the page per chart (5–7 per step in compare
        // mode); the ResizeObserver below sets the true width before the first paint
        width: lastWidth,
        height: HEIGHT,
        padding: [10, 8, 0, 0],
        legend: { show: false },
        cursor: { y: false, drag: { x: false, y: false, setScale: false }, points: { show: false } },
        scales: {
          x: { time: false, range: () => [latest.current.domain[0], latest.current.domain[1]] },
          y: { range: (u) => countRange(u.data[1] as number[], latest.current.logCounts) },
        },
        axes: [
          { ...AXIS, size: 22, values: (_u, vals) => vals.map((v) => fmt(v, 2)) },
          { ...AXIS, size: 36, values: (_u, vals) => vals.map((v) => countTick(v, latest.current.logCounts)) },
        ],
        series: [{}, { fill: () => latest.current.colour, width: 0, paths: uPlot.paths.bars!({ size: [0.9, Infinity], align: 0 }), points: { show: false } }],
        hooks: {
          draw: [(u) => drawMarks(u, latest.current.marks)],
          setCursor: [
            (u) => {
              const i = u.cursor.idx;
              if (readout.current) readout.current.textContent = i === null || i === undefined ? '' : binReadout(latest.current.rows[i], latest.current.quantity);
            },
          ],
        },
      };
      plot.current = new uPlot(opts, cols, el);
    } else plot.current.setData(cols); // rescales x and y through the range functions, redraws the marks
  }, [rows, domain, logCounts, marks, colour]);

  useEffect(() => {
    const ro = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => {
      const p = plot.current;
      const w = box.current?.clientWidth ?? 0;
      if (w > 0) lastWidth = w;
      if (p && w > 0 && Math.abs(w - p.width) > 1) p.setSize({ width: w, height: HEIGHT });
    });
    if (box.current) ro?.observe(box.current);
    return () => {
      ro?.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, []);

  return (
    <>
      <div className="v-chart-box" role="figure" aria-label={`${label} (hover a bar for its count)`} ref={box} />
      {/* the hovered bin (recharts showed a tooltip); a line of its own, so it covers neither bars nor marks */}
      <div ref={readout} aria-hidden="true" style={{ fontSize: 11, minHeight: '1.3em', color: '#333' }} />
    </>
  );
});
