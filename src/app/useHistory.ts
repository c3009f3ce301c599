// Charts and the inspector read step history through these hooks: a throttled external store, so
// per-step data re-renders only the components that show it (each subscriber in its own task). The live
// charts do not re-render at all: they subscribe themselves and hand new data to their canvases.
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { historyStore, runName } from './store/history';

export function useHistory() {
  return useSyncExternalStore(historyStore.subscribe, historyStore.getSnapshot);
}

/** The run names in order, one a line ('repo\ngrpo'): a string, so a step that adds no run re-renders nothing. */
export function useRunNames(): string {
  return useSyncExternalStore(historyStore.subscribe, () => historyStore.getSnapshot().runs.map(runName).join('\n'));
}

/** Runs loaded from files, as [label, note] pairs (JSON, so a step that loads nothing re-renders nothing). */
export function useLoadedRuns(): [string, string][] {
  const json = useSyncExternalStore(historyStore.subscribe, () => JSON.stringify(historyStore.getSnapshot().runs.filter((r) => r.loaded).map((r) => [runName(r), r.note ?? ''])));
  return JSON.parse(json) as [string, string][];
}

type Snapshot = ReturnType<typeof historyStore.getSnapshot>;

/** A change a panel must show even off screen: a run came or went, or a run got its first record. */
export function shapeChanged(a: Snapshot, b: Snapshot): boolean {
  return a.runs.length !== b.runs.length || a.runs.some((r, i) => runName(r) !== runName(b.runs[i]) || (r.records.length === 0) !== (b.runs[i].records.length === 0));
}

/**
 * History for a panel whose render is costly (the ratio panel: histograms and tables for every run): it follows every step
 * while on screen, and off screen only changes of shape (runs, first records); scrolled into view it
 * catches up at once. Attach `ref` to the panel's element.
 */
export function useHistoryOnScreen(): { snap: Snapshot; ref: (el: Element | null) => () => void } {
  const [snap, setSnap] = useState(historyStore.getSnapshot);
  const visible = useRef(true);
  const stale = useRef(false);
  useEffect(() => {
    const onData = () => {
      const next = historyStore.getSnapshot();
      setSnap((cur) => {
        if (cur === next) return cur;
        if (visible.current || shapeChanged(cur, next)) {
          stale.current = false;
          return next;
        }
        stale.current = true;
        return cur;
      });
    };
    onData();
    const off = historyStore.subscribe(onData);
    return () => void off();
  }, []);
  const ref = useCallback((el: Element | null) => {
    if (!el || typeof IntersectionObserver === 'undefined') return () => {};
    const io = new IntersectionObserver((es) => {
      visible.current = es[es.length - 1].isIntersecting;
      if (visible.current && stale.current) {
        stale.current = false;
        setSnap(historyStore.getSnapshot());
      }
    });
    io.observe(el);
    return () => io.disconnect();
  }, []);
  return { snap, ref };
}
