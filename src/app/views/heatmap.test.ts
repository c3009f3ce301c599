import { describe, expect, it } from 'vitest';
import { filledCount, findCell, heatColour, textColourOn } from './heatmap';

describe('heatmap helpers', () => {
  it('finds cells despite float noise', () => {
    const cells = [{ rho: 0.1 * 3, delta: 0.5, hardAcc: 0.2 }];
    expect(findCell(cells, 0.3, 0.5)?.hardAcc).toBe(0.2);
    expect(findCell(cells, 0.3, 0.25)).toBeUndefined();
  });
  it('maps 0 and 1 to the ends of the ramp and missing to grey', () => {
    expect(heatColour(0)).toBe('rgb(247, 251, 255)');
    expect(heatColour(1)).toBe('rgb(8, 48, 107)');
    expect(heatColour(5)).toBe(heatColour(1));
    expect(heatColour(undefined)).toBe('rgb(235, 235, 235)');
  });
  it('picks readable text', () => {
    expect(textColourOn(heatColour(0))).toBe('#111');
    expect(textColourOn(heatColour(1))).toBe('#fff');
  });
  it('counts filled cells of the grid', () => {
    const cells = [{ rho: 0, delta: 0, hardAcc: 0 }, { rho: 0, delta: 1, injectionRate: 1 }];
    expect(filledCount(cells, [0], [0, 1], 'hardAcc')).toBe(1);
    expect(filledCount(cells, [0], [0, 1], 'injectionRate')).toBe(1);
  });
});
