// The single page: header with transport, settings on the left, what training does in the middle,
// checkpoints / compare / ablation on the right.
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
import { ExplainPanel } from './views';

export function App() {
  const ready = useApp((s) => s.ready);
  const failed = useApp((s) => s.messages.some((m) => m.kind === 'error'));
  const algo = useApp((s) => (s.compare ? undefined : s.applied.algo));
  useKeyboard(ready);
  return (
    <div className="app">
      <Header />
      <Messages />
      {!ready && !failed && <div className="loading" role="status">Starting the training worker and loading the base checkpoint…</div>}
      <main className="layout">
        <aside className="col-left">
          <ErrorBoundary name="settings"><Controls /></ErrorBoundary>
        </aside>
        <div className="col-main">
          <ErrorBoundary name="charts"><ChartsPanel /></ErrorBoundary>
          <ErrorBoundary name="inspector"><InspectorPanel /></ErrorBoundary>
          <ErrorBoundary name="ratios"><RatiosPanel /></ErrorBoundary>
          <ErrorBoundary name="explanations"><ExplainPanel algo={algo} /></ErrorBoundary>
        </div>
        <aside className="col-right">
          <ErrorBoundary name="compare"><ComparePanel /></ErrorBoundary>
          <ErrorBoundary name="checkpoint"><CheckpointPanel /></ErrorBoundary>
          <ErrorBoundary name="ablation"><AblationPanel /></ErrorBoundary>
        </aside>
      </main>
    </div>
  );
}
