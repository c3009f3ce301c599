// "Export to TRL / verl": the settings as shown in the panel, as a TRL config (Python) and a verl
// override (YAML), in a modal <dialog> (Escape closes it; focus returns to the button) with copy and
// download buttons. The text comes from src/core/export, the same code as `npm run export-config`.
import { useEffect, useId, useRef, useState } from 'react';
import type { Algo, Config } from '../../core/config';
import { toTrl, toVerl } from '../../core/export/exportConfig';
import { saveBlob } from '../download';
import { useApp } from '../store/store';
import './exportConfig.css';

interface Snippet {
  id: 'trl' | 'verl';
  title: string;
  name: string; // what the copy / download buttons say
  file: string;
  text: string;
}

function snippets(c: Config): Snippet[] {
  return [
    { id: 'trl', title: c.algo === 'sft' ? 'TRL SFTConfig (Python)' : 'TRL GRPOConfig (Python)', name: 'TRL', file: c.algo === 'sft' ? 'sft_config.py' : 'grpo_config.py', text: toTrl(c) },
    { id: 'verl', title: 'verl override (YAML)', name: 'verl', file: c.algo === 'sft' ? 'verl_sft_override.yaml' : 'verl_override.yaml', text: toVerl(c) },
  ];
}

function SnippetBlock({ s }: { s: Snippet }) {
  const [status, setStatus] = useState('');
  const pre = useRef<HTMLPreElement>(null);
  const headingId = useId();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(s.text);
      setStatus('Copied.');
    } catch {
      // No clipboard permission (or an insecure context): select the text so Ctrl+C copies it.
      const range = document.createRange();
      range.selectNodeContents(pre.current!);
      window.getSelection()?.removeAllRanges();
      window.getSelection()?.addRange(range);
      setStatus('The clipboard is not available here; the text is selected, press Ctrl+C.');
    }
  };
  return (
    <section className="export-snippet" aria-labelledby={headingId}>
      <div className="export-snippet-head">
        <h3 id={headingId}>{s.title}</h3>
        <button onClick={copy} data-testid={`copy-${s.id}`}>Copy {s.name}</button>
        <button onClick={() => saveBlob(new Blob([s.text], { type: 'text/plain' }), s.file)} data-testid={`download-${s.id}`}>Download {s.file}</button>
        <span role="status" className="muted">{status}</span>
      </div>
      <pre ref={pre} tabIndex={0} aria-label={s.title} data-testid={`snippet-${s.id}`}>{s.text}</pre>
    </section>
  );
}

export function ExportConfigButton() {
  const draft = useApp((s) => s.draft);
  const compare = useApp((s) => s.compare);
  const [open, setOpen] = useState(false);
  const [algo, setAlgo] = useState<Algo | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  // In compare mode the panel has no single algorithm: the dialog offers the compared ones.
  const chosen: Algo = compare ? (algo && compare.includes(algo) ? algo : compare[0]) : draft.algo;
  const config: Config = { ...draft, algo: chosen };
  return (
    <>
      <button onClick={() => setOpen(true)} data-testid="export-config" aria-haspopup="dialog">Export to TRL / verl</button>
      <dialog ref={dialog} className="export-dialog" aria-labelledby={titleId} onClose={() => setOpen(false)}
        onKeyDown={(e) => e.stopPropagation() /* the page's shortcuts (space, →, r) stay behind the modal */}>
        {open && (
          <>
            <div className="export-dialog-head">
              <h2 id={titleId}>Export to TRL / verl</h2>
              <button onClick={() => setOpen(false)}>Close</button>
            </div>
            <p className="help">
              The settings as the panel shows them. Settings with no counterpart (ρ, δ, the rephraser, LUFFY’s shaping) are comments saying where
              they would plug in. The same text: <code>npm run export-config -- --to trl|verl</code>.
            </p>
            {compare && (
              <label className="row">
                algorithm
                <select value={chosen} onChange={(e) => setAlgo(e.target.value as Algo)}>
                  {compare.map((a) => <option key={a} value={a}>{a}</option>)}
                </select>
              </label>
            )}
            {snippets(config).map((s) => <SnippetBlock key={s.id} s={s} />)}
          </>
        )}
      </dialog>
    </>
  );
}
