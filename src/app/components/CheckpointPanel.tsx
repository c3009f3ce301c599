// Checkpoints (IndexedDB list, download, upload, back to base) and run exports (JSON, CSV).
import { useState } from 'react';
import { deleteSaved, exportRuns, loadBase, loadFromFiles, loadFromIndexedDB, saveCheckpoint } from '../store/actions';
import { useApp } from '../store/store';

export function CheckpointPanel() {
  const saved = useApp((s) => s.saved);
  const busy = useApp((s) => s.busy);
  const checkpoint = useApp((s) => s.checkpoint);
  const numParams = useApp((s) => s.numParams);
  const step = useApp((s) => s.step);
  const ready = useApp((s) => s.ready);
  const [name, setName] = useState('my-policy');
  const disabled = !ready || busy !== null;
  return (
    <section className="panel" aria-label="checkpoints">
      <h2>Checkpoint</h2>
      <p className="muted" data-testid="checkpoint-label">
        start: <b>{checkpoint || '…'}</b>{numParams ? ` · ${(numParams / 1000).toFixed(0)} k parameters` : ''}
      </p>
      {busy && <p className="muted" role="status">{busy}…</p>}
      <div className="row">
        <input aria-label="checkpoint name" data-testid="checkpoint-name" value={name} onChange={(e) => setName(e.target.value)} />
        <button disabled={disabled} onClick={() => saveCheckpoint('indexeddb', name)} data-testid="save-idb" title={`Saves the policy after ${step} steps in this browser`}>Save</button>
        <button disabled={disabled} onClick={() => saveCheckpoint('download', name)}>Download</button>
      </div>
      {saved.length > 0 && (
        <ul className="saved" data-testid="saved-list">
          {saved.map((n) => (
            <li key={n}>
              <span>{n}</span>
              <button disabled={disabled} onClick={() => loadFromIndexedDB(n)} aria-label={`load ${n}`}>load</button>
              <button disabled={disabled} onClick={() => deleteSaved(n)} aria-label={`delete ${n}`}>×</button>
            </li>
          ))}
        </ul>
      )}
      <div className="row">
        <label className="file">
          Upload .json + .weights.bin
          <input type="file" multiple accept=".json,.bin" data-testid="upload" disabled={disabled}
            onChange={(e) => { loadFromFiles([...(e.target.files ?? [])]); e.target.value = ''; }} />
        </label>
        <button disabled={disabled} onClick={loadBase}>Base model</button>
      </div>
      <p className="help">Loading a checkpoint makes it the new start: reset returns to it.</p>
      <h2>Export run</h2>
      <div className="row">
        <button onClick={() => exportRuns('json')} data-testid="export-json">StepRecords (JSON)</button>
        <button onClick={() => exportRuns('csv')} data-testid="export-csv">Metrics (CSV)</button>
      </div>
    </section>
  );
}
