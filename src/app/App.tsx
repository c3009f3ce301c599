// The single page: header with transport, settings on the left, what training does in the middle,
// checkpoints / compare / ablation on the right. With `?embed=a,b` only the named panels, stacked in
// that order under a compact transport (for a slide in a lecture).
import { useEffect, type ReactNode } from 'react';
import { useApp } from './store/store';
import { useKeyboard } from './useKeyboard';
import { AblationPanel } from './components/AblationPanel';
import { ChartsPanel, RatiosPanel } from './components/ChartsPanel';
import { CheckpointPanel } from './components/CheckpointPanel';
import { ComparePanel } from './components/ComparePanel';
import { Controls } from './components/Controls';
import { ErrorBoundary } from './components/ErrorBoundary';
import { Header } from './components/Header';
import { InspectorPanel } from './components/InspectorPanel';
import { Messages } from './components/Messages';
import { StoriesPanel } from './components/StoriesPanel';
import { autoStartTour } from './tour';
import type { Panel } from './urlState';
import { ExplainPanel } from './views';

export interface AppProps {
  /** Only these panels, in this order (`?embed=`); null/undefined = the whole page. */
  embed?: Panel[] | null;
  /** `?tour=`: true opens the tour, false never opens it by itself, null = first visit only. */
  tour?: boolean | null;
  /** `?preset=`: the story preset in force, shown above the charts. */
  preset?: string | null;
}

function Explain() {
  const algo = useApp((s) => (s.compare ? undefined : s.applied.algo));
  return <ExplainPanel algo={algo} />;
}

const PANEL: Record<Exclude<Panel, 'header'>, [string, () => ReactNode]> = {
  controls: ['settings', () => <Controls />],
  charts: ['charts', () => <ChartsPanel />],
  inspector: ['inspector', () => <InspectorPanel />],
  ratios: ['ratios', () => <RatiosPanel />],
  explain: ['explanations', () => <Explain />],
  compare: ['compare', () => <ComparePanel />],
  checkpoint: ['checkpoint', () => <CheckpointPanel />],
  ablation: ['ablation', () => <AblationPanel />],
};

const slot = (p: Exclude<Panel, 'header'>) => {
  const [name, render] = PANEL[p];
  return <div key={p} className="panel-slot" data-panel={p}><ErrorBoundary name={name}>{render()}</ErrorBoundary></div>;
};

export function App({ embed = null, tour = null, preset = null }: AppProps) {
  const ready = useApp((s) => s.ready);
  const failed = useApp((s) => s.messages.some((m) => m.kind === 'error'));
  useKeyboard(ready);
  useEffect(() => {
    if (!embed && (ready || failed)) autoStartTour(tour);
  }, [embed, tour, ready, failed]);
  const loading = !ready && !failed && <div className="loading" role="status">Starting the training worker and loading the base checkpoint…</div>;
  if (embed)
    return (
      <div className="app app-embed" data-embed={embed.join(',')}>
        <Header compact={!embed.includes('header')} />
        <Messages />
        {loading}
        <main className="layout-embed">
          <h2 className="visually-hidden">Embedded panels: {embed.join(', ')}</h2>
          {embed.filter((p) => p !== 'header').map((p) => slot(p as Exclude<Panel, 'header'>))}
        </main>
      </div>
    );
  return (
    <div className="app">
      <Header />
      <Messages />
      {loading}
      <main className="layout">
        <aside className="col-left" aria-label="settings column">
          {slot('controls')}
        </aside>
        <div className="col-main">
          <StoriesPanel active={preset} />
          {slot('charts')}
          {slot('inspector')}
          {slot('ratios')}
          {slot('explain')}
        </div>
        <aside className="col-right" aria-label="compare, checkpoints and ablation">
          {slot('compare')}
          {slot('checkpoint')}
          {slot('ablation')}
        </aside>
      </main>
    </div>
  );
}
