// A small line chart as SVG text: one line per series (the mean over seeds) with a ±1 sd band. Pure, so
// the chart script and its test need no browser; @resvg/resvg-js turns the SVG into PNG.
import { mean, std } from '../core/stats';

export interface SeriesPoint {
  x: number;
  mean: number;
  sd: number;
  n: number;
}
export interface Series {
  label: string;
  colour: string;
  points: SeriesPoint[];
}

/** Mean ± sd over runs at each x that every run measured. */
export function meanBand(runs: { x: number; y: number }[][]): SeriesPoint[] {
  const xs = [...new Set(runs.flatMap((r) => r.map((p) => p.x)))].sort((a, b) => a - b);
  return xs
    .map((x) => {
      const ys = runs.map((r) => r.find((p) => p.x === x)?.y).filter((y): y is number => y !== undefined && Number.isFinite(y));
      return { x, mean: mean(ys), sd: ys.length > 1 ? std(ys) : 0, n: ys.length };
    })
    .filter((p) => p.n === runs.length);
}

export const PALETTE: Record<string, string> = { grpo: '#4c78a8', repo: '#e45756', 'repo-paper': '#f58518', luffy: '#54a24b', sft: '#b279a2' };
const FALLBACK = ['#4c78a8', '#e45756', '#54a24b', '#b279a2', '#f58518', '#72b7b2', '#9d755d'];
/** A named algorithm's colour; other labels take the palette in order, skipping colours already named. */
export const colourFor = (label: string, i: number) => PALETTE[label] ?? FALLBACK[i % FALLBACK.length];
/** Lines that sit on top of each other (several at 0 %) stay visible: each series gets its own dash. */
const DASHES = ['', '8 4', '2 3', '12 4 2 4', '4 4', '1 5', '6 2'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** y is a share in [0, 1], drawn as percent. */
export function lineChartSvg(o: { title: string; xLabel: string; yLabel: string; series: Series[]; width?: number; height?: number; refLine?: { y: number; label: string } }): string {
  const W = o.width ?? 720;
  const H = o.height ?? 420;
  const m = { l: 62, r: 160, t: 40, b: 52 };
  const xMax = Math.max(1, ...o.series.flatMap((s) => s.points.map((p) => p.x)));
  const X = (x: number) => m.l + (x / xMax) * (W - m.l - m.r);
  const Y = (y: number) => H - m.b - Math.min(1, Math.max(0, y)) * (H - m.t - m.b);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, sans-serif">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${m.l}" y="24" font-size="16" font-weight="bold">${esc(o.title)}</text>`,
  ];
  for (let t = 0; t <= 1.0001; t += 0.2) {
    out.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${Y(t)}" y2="${Y(t)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${m.l - 8}" y="${Y(t) + 4}" font-size="12" text-anchor="end">${Math.round(100 * t)} %</text>`);
  }
  const step = niceStep(xMax);
  for (let x = 0; x <= xMax + 1e-9; x += step) out.push(`<text x="${X(x)}" y="${H - m.b + 18}" font-size="12" text-anchor="middle">${x}</text>`);
  out.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}" stroke="#333"/>`, `<line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${H - m.b}" stroke="#333"/>`);
  out.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 12}" font-size="13" text-anchor="middle">${esc(o.xLabel)}</text>`);
  out.push(`<text transform="translate(16 ${(m.t + H - m.b) / 2}) rotate(-90)" font-size="13" text-anchor="middle">${esc(o.yLabel)}</text>`);
  if (o.refLine) {
    out.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${Y(o.refLine.y)}" y2="${Y(o.refLine.y)}" stroke="#999" stroke-dasharray="5 4"/>`);
    out.push(`<text x="${W - m.r - 4}" y="${Y(o.refLine.y) - 5}" font-size="11" fill="#666" text-anchor="end">${esc(o.refLine.label)}</text>`);
  }
  o.series.forEach((s, i) => {
    if (s.points.length === 0) return;
    const upper = s.points.map((p) => `${X(p.x)},${Y(p.mean + p.sd)}`);
    const lower = s.points.map((p) => `${X(p.x)},${Y(p.mean - p.sd)}`).reverse();
    out.push(`<polygon points="${[...upper, ...lower].join(' ')}" fill="${s.colour}" fill-opacity="0.15" stroke="none"/>`);
    const dash = DASHES[i % DASHES.length];
    out.push(`<polyline points="${s.points.map((p) => `${X(p.x)},${Y(p.mean)}`).join(' ')}" fill="none" stroke="${s.colour}" stroke-width="2.5"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
    for (const p of s.points) out.push(`<circle cx="${X(p.x)}" cy="${Y(p.mean)}" r="3" fill="${s.colour}"/>`);
    const ly = m.t + 10 + i * 22;
    out.push(`<line x1="${W - m.r + 10}" x2="${W - m.r + 30}" y1="${ly - 7}" y2="${ly - 7}" stroke="${s.colour}" stroke-width="3"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
    out.push(`<text x="${W - m.r + 34}" y="${ly - 3}" font-size="12">${esc(s.label)}${s.points[0].n > 1 ? ` (n=${s.points[0].n})` : ''}</text>`);
  });
  out.push(`<text x="${W - m.r + 14}" y="${H - m.b}" font-size="10" fill="#666">line: mean over seeds</text>`, `<text x="${W - m.r + 14}" y="${H - m.b + 13}" font-size="10" fill="#666">band: ± 1 sd</text>`);
  out.push('</svg>');
  return out.join('\n');
}

function niceStep(max: number): number {
  const raw = max / 6;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((k) => k * p).find((s) => s >= raw) ?? raw;
}
