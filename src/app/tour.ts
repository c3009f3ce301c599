// The guided tour (driver.js): an overlay that walks through the live page — play, the group inspector
// (γ_fail against ρ, the decision, o_rep next to the rollout it replaced), the ratio histograms and compare
// mode. Opens by itself on a first visit (not with ?tour=0, nor in an embed), remembers the stop reached in
// localStorage, and the header's Tour button re-opens it there.
import { driver, type Driver, type DriveStep, type PopoverDOM } from 'driver.js';
import 'driver.js/dist/driver.css';
import { stepOnce } from './store/actions';
import { historyStore } from './store/history';
import { getApp } from './store/store';
import { readProgress, saveProgress, shouldAutoOpen } from './tourProgress';

const $ = (sel: string) => () => document.querySelector(sel) ?? document.querySelector('[data-testid=group-inspector]') ?? document.body;
const hasRecord = () => historyStore.getSnapshot().runs.some((r) => r.records.length > 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Stop extends DriveStep {
  /** This stop shows per-step data: the tour makes sure one step has run before it. */
  needsStep?: boolean;
}

const STEP_STOP = 2; // the "one step" stop: Next there runs a step when none has run yet

export const STOPS: Stop[] = [
  {
    popover: {
      title: 'A tiny GPT learning to add, live',
      description:
        'This page trains a 150k-parameter transformer with reinforcement learning (GRPO, RePO, LUFFY or SFT) in a Web Worker in this tab. The tour points at the live panels. ← → move, Esc closes; the <b>Tour</b> button in the header re-opens it where you left off.',
    },
  },
  {
    element: '[data-testid=play]',
    popover: {
      title: 'Play / pause',
      description: 'Trains step after step (key: space). Each step samples G answers (rollouts) for each of B questions, scores them with the verifier and updates the policy.',
    },
  },
  {
    element: '[data-testid=step]',
    popover: {
      title: 'One step',
      description:
        'Runs exactly one step (key: →), handy while reading. The next stops show what a step recorded: if no step has run yet, <b>Next</b> presses this button once for you and waits for the result (a few seconds on wasm).',
    },
  },
  {
    element: '.counters',
    popover: { title: 'Step counter', description: 'Steps done (× runs in compare mode), steps per second and the seed. Reset (r) replays the same problems from the same checkpoint.' },
  },
  {
    element: '[data-testid=gamma-fail]',
    needsStep: true,
    popover: {
      title: 'γ_fail against ρ',
      description:
        'The group inspector shows one question and its G rollouts. The bar is γ_fail, the share of the policy’s own rollouts that failed (reward < δ); the tick is ρ. RePO asks for help only when γ_fail ≥ ρ: the policy is struggling on this question.',
    },
  },
  {
    element: '[data-testid=injection-decision]',
    needsStep: true,
    popover: {
      title: 'The decision',
      description:
        'What the algorithm did with this group, in words: <i>gate closed</i> (γ_fail < ρ), <i>verifier rejected</i> (the rephrasing scored below δ) or <i>injected</i> into slot k. ‹ previous / next › step through the groups of this step.',
    },
  },
  {
    element: '[data-testid=injection-sources]',
    needsStep: true,
    popover: {
      title: 'o_rep and the rollout it replaced',
      description:
        'Side by side: the rephrasing prompt P(q,k), o_rep (the policy rewriting the expert’s solution k in its own style), k itself and — when something was injected — the rollout it displaced. If this group’s gate was closed there is no o_rep: try another group.',
    },
  },
  {
    element: '[data-testid=ratio-panel]',
    needsStep: true,
    popover: {
      title: 'Ratio histograms',
      description:
        'The importance ratio r = π_θ/π_old of every token at the last update, per source (policy, rephrase, expert), with the clip range marked; below it, the behaviour log-ratio — how off-policy injected samples really are. RePO’s rephrasings sit near log r = 0, LUFFY’s expert tokens far below.',
    },
  },
  {
    element: '[data-testid=compare-panel]',
    popover: {
      title: 'Compare mode',
      description: 'Tick to train 2–3 algorithms side by side from the same checkpoint and seed, one step each per tick: the curves overlay and the ratio histograms stand in columns.',
    },
  },
  {
    element: '[data-testid=tour-button]',
    popover: {
      title: 'That’s the tour',
      description: 'Settings on the left apply from the next step (some need a reset); “What am I looking at?” below the ratios explains every symbol. This button opens the tour again.',
    },
  },
];

let active: Driver | null = null;

export const tourIsOpen = () => active?.isActive() ?? false;

/** Make sure a step has been recorded and the inspector shows it; false when none can run (worker not ready). */
async function ensureStep(timeoutMs = 180_000): Promise<boolean> {
  const drawn = () => document.querySelector('[data-testid=gamma-fail]') !== null;
  if (drawn()) return true;
  const s = getApp();
  if (!hasRecord()) {
    if (!s.ready) return false;
    if (!s.playing) stepOnce();
  }
  const t0 = performance.now();
  while (performance.now() - t0 < timeoutMs) {
    if (drawn()) return true;
    await sleep(200);
  }
  return false;
}

/** Open the tour at `at` (default: where it was left; from the start once it was finished). */
export function startTour(at?: number): void {
  if (active?.isActive()) return;
  const p = readProgress();
  let index = at ?? (p && p.state !== 'done' ? p.step : 0);
  index = Math.min(Math.max(0, index), STOPS.length - 1);
  // resuming at a stop that needs a step when none has run: resume at the stop that runs one
  if (STOPS[index].needsStep && !hasRecord()) index = Math.min(index, STEP_STOP);
  let reached = index;
  let waiting = false;
  const d = driver({
    showProgress: true,
    progressText: '{{current}} of {{total}}',
    popoverClass: 'tour-popover',
    smoothScroll: false,
    steps: STOPS.map(({ needsStep: _n, element, ...s }) => ({ ...s, element: typeof element === 'string' ? $(element) : element })),
    // (onHighlighted is skipped when the next stop starts before the animation ends: record the start)
    // driver.js titles its popover with a <header> and puts the buttons in a <footer>: landmarks, a second
    // "banner" for axe. Inside the dialog they are plain (the dialog is labelled by the title's text).
    onPopoverRender: (pop) => {
      pop.title.setAttribute('role', 'none');
      pop.footer.setAttribute('role', 'group');
      pop.footer.setAttribute('aria-label', 'tour navigation');
    },
    onHighlightStarted: () => {
      reached = d.getActiveIndex() ?? reached;
      saveProgress({ state: 'active', step: reached });
    },
    onNextClick: async () => {
      if (waiting) return;
      const next = (d.getActiveIndex() ?? 0) + 1;
      if (next >= STOPS.length) return d.destroy();
      if (STOPS[next].needsStep && !document.querySelector('[data-testid=gamma-fail]')) {
        waiting = true;
        const pop = d.getState('popover') as PopoverDOM | undefined;
        if (pop) {
          pop.description.textContent = hasRecord() ? 'Waiting for the inspector to draw the step…' : 'Running one step… (a few seconds on wasm; much longer on WebGPU emulated on a CPU)';
          pop.nextButton.disabled = true;
        }
        await ensureStep();
        waiting = false;
        if (!d.isActive()) return;
      }
      d.moveNext();
    },
    onDestroyed: () => {
      saveProgress({ state: reached >= STOPS.length - 1 ? 'done' : 'dismissed', step: reached >= STOPS.length - 1 ? 0 : reached });
      if (active === d) active = null;
    },
  });
  active = d;
  d.drive(index);
}

/** On start-up: open unless ?tour=0, an embed, or the stored progress says it was finished or dismissed. */
let autoStarted = false;
export function autoStartTour(urlTour: boolean | null | undefined): void {
  if (autoStarted || urlTour === false) return;
  autoStarted = true;
  if (urlTour === true || shouldAutoOpen(readProgress())) startTour();
}
