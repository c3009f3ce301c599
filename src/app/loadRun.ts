// Loading a run from a file (a CLI JSONL or an app export) into the history store, read-only, next to the
// live runs: the charts overlay it, the strips, inspector and ratio panel can select it.
import { parseRunFile } from '../core/runFile';
import { historyStore, loadedHistory } from './store/history';
import { addMessage } from './store/store';

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

/** Parses and adds one file; any problem is one error message and changes nothing. */
export async function loadRunFile(file: File): Promise<boolean> {
  let run;
  try {
    run = parseRunFile(await file.text(), file.name);
  } catch (e) {
    addMessage('error', e instanceof Error ? e.message : String(e));
    return false;
  }
  const { header, records, final } = run;
  const label = `${file.name} · ${header.algo}`;
  const last = records[records.length - 1].step;
  const note =
    `${header.algo}, seed ${header.seed}, ${records.length} steps (0–${last}) on ${header.backend}, from ${header.checkpoint}` +
    (final ? `; final eval easy ${pct(final.easy)}, hard ${pct(final.hard)}, rephrase-hard ${pct(final.rephraseHard)}` : '');
  historyStore.addLoaded({ ...loadedHistory(label, header.algo, records), note });
  addMessage('notice', `loaded ${file.name}: ${note}`);
  return true;
}

export const removeLoadedRun = (label: string) => historyStore.removeLoaded(label);
