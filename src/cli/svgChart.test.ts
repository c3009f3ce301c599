import { describe, expect, it } from 'vitest';
import { lineChartSvg, meanBand } from './svgChart';

describe('chart data', () => {
  it('mean ± sd over runs at the steps every run measured', () => {
    const pts = meanBand([
      [{ x: 0, y: 0 }, { x: 25, y: 0.2 }, { x: 50, y: 0.4 }],
      [{ x: 0, y: 0 }, { x: 25, y: 0.4 }],
    ]);
    expect(pts.map((p) => p.x)).toEqual([0, 25]); // step 50 is missing from the second run
    expect(pts[1].mean).toBeCloseTo(0.3, 12);
    expect(pts[1].sd).toBeCloseTo(Math.SQRT2 * 0.1, 12);
  });
  it('draws one line and one band per series, labels escaped', () => {
    const svg = lineChartSvg({ title: 'a < b', xLabel: 'step', yLabel: 'acc', series: [{ label: 'repo', colour: '#e45756', points: [{ x: 0, mean: 0, sd: 0, n: 3 }, { x: 100, mean: 0.5, sd: 0.1, n: 3 }] }] });
    expect(svg.match(/<polyline/g)).toHaveLength(1);
    expect(svg.match(/<polygon/g)).toHaveLength(1);
    expect(svg).toContain('a &lt; b');
    expect(svg).toContain('repo (n=3)');
  });
});
