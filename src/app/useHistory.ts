// Charts and the inspector read step history through these hooks: a throttled external store, so
// per-step data re-renders only the components that show it (each subscriber in its own task).
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { createChartPump, type PumpEntry } from './chartPump';
import { historyStore } from './store/history';

export function useHistory() {
  return useSyncExternalStore(historyStore.subscribe, historyStore.getSnapshot);
}

/** The run names in order ('repo,grpo'): a string, so a step that adds no run re-renders nothing. */
export function useRunNames(): string {
  return useSyncExternalStore(historyStore.subscribe, () => historyStore.getSnapshot().runs.map((r) => r.algo).join(','));
}

const chartPump = createChartPump();
historyStore.subscribe(() => chartPump.markAll());

type Snapshot = ReturnType<typeof historyStore.getSnapshot>;

/**
 * For one live chart: the history snapshot and `extra` (e.g. its smoothing) as of its last redraw.
 * The chart pump decides when it redraws (one chart per frame, throttled, off-screen ones rarely);
 * attach `ref` to the chart's element so the pump knows whether it is on screen.
 */
export function useStaggeredHistory<T>(extra: T): { snap: Snapshot; extra: T; ref: (el: Element | null) => () => void } {
  const latest = useRef(extra);
  const [view, setView] = useState(() => ({ snap: historyStore.getSnapshot(), extra }));
  const entry = useRef<PumpEntry | null>(null);
  useEffect(() => {
    const e = chartPump.register(() =>
      setView((v) => {
        const snap = historyStore.getSnapshot();
        return v.snap === snap && Object.is(v.extra, latest.current) ? v : { snap, extra: latest.current };
      }),
    );
    entry.current = e;
    e.mark(); // catch up on anything that arrived between the first render and now
    return () => e.dispose();
  }, []);
  useEffect(() => {
    latest.current = extra;
    entry.current?.mark();
  }, [extra]);
  const ref = useCallback((el: Element | null) => {
    if (!el || typeof IntersectionObserver === 'undefined') return () => {};
    const io = new IntersectionObserver((es) => entry.current?.setVisible(es[es.length - 1].isIntersecting));
    io.observe(el);
    return () => io.disconnect();
  }, []);
  return { ...view, ref };
}
