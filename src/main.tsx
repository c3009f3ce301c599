// Entry: read the URL (clamping anything malformed, with notices), start the worker, render.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { ErrorBoundary } from './app/components/ErrorBoundary';
import { startSession } from './app/client';
import { baseSource } from './app/store/actions';
import { addMessage, initialState, runAlgos, setApp, useApp } from './app/store/store';
import { formatUrlState, parseUrlState } from './app/urlState';
import './app/app.css';

const url = parseUrlState(location.search);
setApp(initialState(url.config, url.compare, url.backend));
for (const n of url.notices) addMessage('warning', `URL: ${n}`);

// Keep the URL in step with the settings so the address bar is always a shareable link.
useApp.subscribe((s, prev) => {
  if (s.draft === prev.draft && s.compare === prev.compare && s.backendPref === prev.backendPref) return;
  history.replaceState(null, '', formatUrlState({ config: s.draft, compare: s.compare, backend: s.backendPref, embed: url.embed, tour: url.tour, preset: url.preset }));
});
history.replaceState(null, '', formatUrlState(url));

try {
  void startSession({ type: 'init', config: url.config, algos: runAlgos({ applied: url.config, compare: url.compare }), backend: url.backend, checkpoint: baseSource() });
} catch (e) {
  addMessage('error', `could not start the training worker: ${(e as Error).message}`);
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ErrorBoundary name="app">
      <App embed={url.embed} tour={url.tour} preset={url.preset ?? null} />
    </ErrorBoundary>
  </StrictMode>,
);
