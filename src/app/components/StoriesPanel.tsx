// Story presets on the page: the active story's text and what to watch, and links to the others
// (each a URL, `?preset=<id>`, so a teacher can put it on a slide).
import { presetById, PRESETS, SCIENCE_DOC } from '../presets';
import { useApp } from '../store/store';

/** A link to a preset that keeps the chosen backend (a story should not change where it runs). */
function presetHref(id: string, backend: string): string {
  const p = new URLSearchParams({ preset: id });
  if (backend !== 'auto') p.set('backend', backend);
  return `?${p.toString()}`;
}

function watch(panel: string): void {
  const el = document.querySelector<HTMLElement>(`[data-panel="${panel}"]`);
  if (!el) return;
  el.scrollIntoView({ behavior: 'smooth', block: 'start' });
  el.classList.add('panel-watch');
  setTimeout(() => el.classList.remove('panel-watch'), 2500);
}

export function StoriesPanel({ active }: { active: string | null }) {
  const backend = useApp((s) => s.backendPref);
  const p = active ? presetById(active) : undefined;
  return (
    <section className="panel stories" aria-labelledby="stories-title" data-testid="stories">
      <h2 id="stories-title">Stories</h2>
      {p && (
        <div className="story" data-testid="story" data-preset={p.id}>
          <h3>{p.title}</h3>
          <p>{p.story}</p>
          <p>
            <strong>Watch:</strong> {p.watch.what}{' '}
            <button onClick={() => watch(p.watch.panel)} data-testid="story-watch">
              show the {p.watch.panel} panel
            </button>
          </p>
          <p className="help">Press play. The numbers behind this story are from CLI runs of the same code: {SCIENCE_DOC} in the repository.</p>
        </div>
      )}
      <ul className="story-list">
        {PRESETS.map((x) => (
          <li key={x.id}>
            <a href={presetHref(x.id, backend)} aria-current={x.id === p?.id ? 'true' : undefined} data-testid={`preset-${x.id}`}>
              {x.title}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
