import { describe, expect, it } from 'vitest';
import { createChartPump } from './chartPump';

/** A pump on a fake clock: frames and timers run only when the test says so. */
function fake(opts: { minGapMs?: number; hiddenGapMs?: number } = {}) {
  let t = 0;
  let frames: (() => void)[] = [];
  let timers: { at: number; f: () => void }[] = [];
  const pump = createChartPump({ ...opts, now: () => t, frame: (f) => frames.push(f), timer: (f, ms) => timers.push({ at: t + ms, f }) });
  const frame = () => {
    const fs = frames;
    frames = [];
    fs.forEach((f) => f());
  };
  const advance = (ms: number) => {
    t += ms;
    const due = timers.filter((x) => x.at <= t);
    timers = timers.filter((x) => x.at > t);
    due.forEach((x) => x.f());
  };
  return { pump, frame, advance, pending: () => frames.length };
}

describe('chart pump', () => {
  it('redraws one stale chart per frame, in page order', () => {
    const { pump, frame } = fake();
    const drawn: string[] = [];
    ['a', 'b', 'c'].forEach((n) => pump.register(() => drawn.push(n)));
    pump.markAll();
    frame();
    expect(drawn).toEqual(['a']);
    frame();
    frame();
    expect(drawn).toEqual(['a', 'b', 'c']);
    frame();
    expect(drawn).toHaveLength(3); // nothing stale: no redraw
  });
  it('throttles each chart to one redraw per minGapMs however often data arrives', () => {
    const { pump, frame, advance, pending } = fake({ minGapMs: 400 });
    let n = 0;
    pump.register(() => n++);
    pump.markAll();
    frame();
    for (let i = 0; i < 5; i++) {
      pump.markAll();
      frame();
      advance(50);
    }
    expect(n).toBe(1);
    expect(pending()).toBe(0); // waiting on a timer, not spinning on frames
    advance(200);
    frame();
    expect(n).toBe(2);
  });
  it('prefers visible charts and redraws off-screen ones only every hiddenGapMs', () => {
    const { pump, frame, advance } = fake({ minGapMs: 100, hiddenGapMs: 1000 });
    const drawn: string[] = [];
    const hidden = pump.register(() => drawn.push('hidden'));
    pump.register(() => drawn.push('shown'));
    hidden.setVisible(false);
    pump.markAll();
    frame();
    expect(drawn).toEqual(['shown']);
    frame();
    expect(drawn).toEqual(['shown', 'hidden']); // never drawn yet, so due at once
    pump.markAll();
    advance(150);
    frame();
    frame();
    expect(drawn).toEqual(['shown', 'hidden', 'shown']);
    advance(1000);
    frame();
    expect(drawn).toEqual(['shown', 'hidden', 'shown', 'hidden']);
  });
  it('mark() redraws one chart; disposed charts are never called', () => {
    const { pump, frame } = fake();
    const drawn: string[] = [];
    const a = pump.register(() => drawn.push('a'));
    const b = pump.register(() => drawn.push('b'));
    b.mark();
    frame();
    expect(drawn).toEqual(['b']);
    a.dispose();
    pump.markAll();
    frame();
    frame();
    expect(drawn).toEqual(['b']); // b is throttled, a is gone
  });
});
