// The live charts, fed from the history store: each uPlot chart subscribes to the store and redraws its
// canvas when steps arrive (no React render per step). Also the run loader: drop a run file (a CLI JSONL,
// an app export) anywhere on the page, or pick one with the button, to overlay it on the live runs.
import { useEffect, useRef, useState } from 'react';
import { CHARTS, LIVE_MAX_POINTS, LiveChartsFrame, StreamChart, runColour, type RunsSource } from '../views';
import { loadRunFile, removeLoadedRun } from '../loadRun';
import { historyStore, runName } from '../store/history';
import { useLoadedRuns, useRunNames } from '../useHistory';
import './status.css';

const source: RunsSource = {
  get: () => historyStore.getSnapshot().runs.map((r, i) => ({ name: runName(r), colour: runColour(i), metrics: r.metrics })),
  subscribe: historyStore.subscribe,
};

const hasFiles = (e: DragEvent) => !!e.dataTransfer && [...e.dataTransfer.types].includes('Files');

/** Page-wide drag and drop of run files; true while a file is dragged over the page. */
function useDropRuns(): boolean {
  const [over, setOver] = useState(false);
  const depth = useRef(0);
  useEffect(() => {
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth.current++;
      setOver(true);
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setOver(false);
    };
    const overFn = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault(); // allows the drop
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const drop = (e: DragEvent) => {
      depth.current = 0;
      setOver(false);
      // a drop on a file input (checkpoint, ablation grid) is that input's own
      if (!hasFiles(e) || (e.target instanceof HTMLInputElement && e.target.type === 'file')) return;
      e.preventDefault();
      for (const f of e.dataTransfer?.files ?? []) void loadRunFile(f);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', overFn);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', overFn);
      window.removeEventListener('drop', drop);
    };
  }, []);
  return over;
}

function LoadRuns() {
  const loaded = useLoadedRuns();
  const input = useRef<HTMLInputElement>(null);
  const over = useDropRuns();
  return (
    <div className="load-runs" data-testid="load-runs">
      <button type="button" onClick={() => input.current?.click()} data-testid="load-run-button" title="A JSONL from npm run train -- --out run.jsonl, or a run exported from this page (JSON)">
        Load a run…
      </button>
      <input ref={input} type="file" accept=".jsonl,.json,application/json" multiple hidden data-testid="load-run-input"
        onChange={(e) => {
          for (const f of e.target.files ?? []) void loadRunFile(f);
          e.target.value = '';
        }} />
      {loaded.length === 0 && <span className="v-muted">or drop a run file (.jsonl) on the page to overlay it</span>}
      {loaded.map(([label, note]) => (
        <span key={label} className="loaded-run" data-testid="loaded-run" title={note}>
          {label}
          <button type="button" onClick={() => removeLoadedRun(label)} aria-label={`remove ${label}`}>×</button>
        </span>
      ))}
      {over && <div className="drop-overlay" data-testid="drop-overlay">Drop a run file (.jsonl) to inspect it</div>}
    </div>
  );
}

export function StreamCharts() {
  const [smoothing, setSmoothing] = useState(0.6);
  const names = useRunNames();
  const runs = names ? names.split('\n').map((name) => ({ name })) : [];
  return (
    <LiveChartsFrame runs={runs} smoothing={smoothing} onSmoothingChange={setSmoothing} tools={<LoadRuns />}>
      {CHARTS.map((c) => (
        <StreamChart key={c.name} chart={c} source={source} smoothing={smoothing} maxPoints={LIVE_MAX_POINTS} compare={runs.length > 1} />
      ))}
    </LiveChartsFrame>
  );
}
