// Redraw scheduler for the live charts. One recharts redraw costs tens of ms on a busy 2-core machine,
// so redrawing all nine charts per step made long main-thread tasks (the bench measured up to 340 ms).
// The pump redraws at most ONE chart per animation frame (each in its own task, input and paint run in
// between), each chart at most every `minGapMs` however fast steps arrive, and charts scrolled out of
// view only every `hiddenGapMs` (not never: tests and exports read their attributes without scrolling).

export interface PumpEntry {
  /** Marks this chart stale (e.g. its smoothing changed) and schedules a redraw. */
  mark(): void;
  setVisible(visible: boolean): void;
  dispose(): void;
}

export interface PumpOptions {
  minGapMs?: number;
  hiddenGapMs?: number;
  now?: () => number;
  /** Runs `f` at the next frame (requestAnimationFrame in the page). */
  frame?: (f: () => void) => void;
  timer?: (f: () => void, ms: number) => void;
}

interface Entry {
  redraw: () => void;
  dirty: boolean;
  visible: boolean;
  last: number; // when it was last redrawn
}

export function createChartPump(opts: PumpOptions = {}) {
  const minGap = opts.minGapMs ?? 400;
  const hiddenGap = opts.hiddenGapMs ?? 3000;
  const now = opts.now ?? (() => performance.now());
  const frame = opts.frame ?? ((f) => (typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => f()) : setTimeout(f, 16)));
  const timer = opts.timer ?? ((f, ms) => setTimeout(f, ms));
  const entries: Entry[] = []; // registration order = page order: top charts first
  let framePending = false;
  let timerAt = Infinity; // when the pending wake-up timer fires (Infinity: none)

  const due = (e: Entry) => e.last + (e.visible ? minGap : hiddenGap);

  const tick = () => {
    framePending = false;
    const t = now();
    // the stale chart that waited longest among those due, visible ones first
    let pick: Entry | undefined;
    for (const e of entries) {
      if (!e.dirty || due(e) > t) continue;
      if (!pick || (e.visible && !pick.visible) || (e.visible === pick.visible && e.last < pick.last)) pick = e;
    }
    if (pick) {
      pick.dirty = false;
      pick.last = t;
      pick.redraw(); // a React state update: rendered in its own task after this frame
    }
    schedule();
  };

  const schedule = () => {
    if (framePending) return;
    const t = now();
    let next = Infinity;
    for (const e of entries) if (e.dirty) next = Math.min(next, due(e));
    if (next === Infinity) return;
    if (next <= t) {
      framePending = true;
      frame(tick);
    } else if (next < timerAt) {
      timerAt = next;
      timer(() => {
        timerAt = Infinity;
        schedule();
      }, next - t);
    }
  };

  return {
    /** Registers a chart; `redraw` is called when it may redraw (it should set React state). */
    register(redraw: () => void): PumpEntry {
      const e: Entry = { redraw, dirty: false, visible: true, last: -Infinity };
      entries.push(e);
      return {
        mark() {
          e.dirty = true;
          schedule();
        },
        setVisible(v) {
          e.visible = v;
          schedule();
        },
        dispose() {
          const i = entries.indexOf(e);
          if (i >= 0) entries.splice(i, 1);
        },
      };
    },
    /** New data: every chart is stale. */
    markAll() {
      for (const e of entries) e.dirty = true;
      schedule();
    },
  };
}

export type ChartPump = ReturnType<typeof createChartPump>;
