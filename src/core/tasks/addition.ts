// Addition with a scratchpad (docs/DESIGN.md §2). Both operands of a d-digit problem have exactly d digits.
//
//   question   347+589=
//   own        7+9=16;4+8+1=13;3+5+1=9;>936          right to left, one column and its carry-in
//   expert     7+9=16;40+80=120;300+500=800;=936     place values, no carries (foreign to the base)
//   rephrase   K:<expert>|347+589=    knowledge-first (the shipped base): the prompt ends with q itself,
//              347+589=|K:<expert>|R: question-first (the first base); the policy continues in its own style
//
// Reward (documented in the README):
//   1.0    well-formed (own or expert style) and the final answer is right
//   0.25   well-formed, wrong answer
//   0.0    malformed (neither style parses)
// So δ ∈ (0.25, 1] fails every wrong answer, δ ∈ (0, 0.25] fails only malformed ones, δ = 0 nothing.
// Coarse on purpose: a finer partial credit (share of answer digits right) made every all-wrong hard
// group a spread of small rewards that the group-std normalisation blew up into ±1 advantages — noise
// that cost GRPO 10 points of easy accuracy in 25 steps here (docs/DESIGN.md §7 saw the same).
import type { Problem, Split, Style, Task } from './task';
import type { Rng } from '../rng';

const OWN = /^(\d\+\d(\+1)?=\d{1,2};)+>(\d+)$/;
const EXPERT = /^(\d+\+\d+=\d+;)+=(\d+)$/;
export const WRONG_BUT_WELL_FORMED = 0.25;

function digits(n: string): number[] {
  return [...n].reverse().map(Number); // least significant first
}

/**
 * Where the expert's solution k sits in P(q,k). `question-first` was the first base's layout; with it the
 * policy's reading of k collapsed under RL (docs/SCIENCE.md, H1). `knowledge-first` ends P(q,k) with q
 * itself, so the rephrasing is written from the same place as an unaided answer and solving with and
 * without k is one skill. The layout is part of the task a checkpoint was trained on (its `task` name).
 */
export type PromptLayout = 'knowledge-first' | 'question-first';

export class AdditionTask implements Task {
  readonly name: string;
  readonly layout: PromptLayout;
  constructor(layout: PromptLayout) {
    this.layout = layout;
    this.name = layout === 'question-first' ? 'addition' : 'addition-kfirst';
  }
  /** easy = what the base solves unaided; hard = one digit beyond it (docs/SCIENCE.md, H4: with 4–5 digits the
   *  demonstrations had to teach two new columns and a new length at once, and learning wrecked the rest). */
  readonly difficulties: Record<Split, number[]> = { easy: [1, 2, 3], hard: [4] };
  /** The longest solution the base ever reads or writes (a 5-digit expert one, 72 characters: pretraining reads
   *  up to 5 digits) plus EOS: a policy that drifts to the expert's style must not be cut off and scored malformed. */
  get maxResponseLength(): number {
    const worst: Problem = { question: '99999+99999=', answer: '199998', difficulty: 5, split: 'hard' };
    return Math.max(this.ownSolution(worst).length, this.expertSolution(worst).length) + 1;
  }

  sample(rng: Rng, difficulty: number): Problem {
    const operand = () => {
      let s = String(rng.int(1, 9));
      for (let i = 1; i < difficulty; i++) s += String(rng.int(0, 9));
      return s;
    };
    const a = operand();
    const b = operand();
    const answer = String(BigInt(a) + BigInt(b));
    return { question: `${a}+${b}=`, answer, difficulty, split: difficulty <= 3 ? 'easy' : 'hard' };
  }

  private operands(p: Problem): [number[], number[]] {
    const [a, b] = p.question.slice(0, -1).split('+');
    return [digits(a), digits(b)];
  }

  ownSolution(p: Problem): string {
    const [a, b] = this.operands(p);
    let carry = 0;
    let s = '';
    for (let i = 0; i < a.length; i++) {
      const sum = a[i] + b[i] + carry;
      s += `${a[i]}+${b[i]}${carry ? '+1' : ''}=${sum};`;
      carry = sum >= 10 ? 1 : 0;
    }
    return `${s}>${p.answer}`;
  }

  expertSolution(p: Problem): string {
    const [a, b] = this.operands(p);
    let s = '';
    for (let i = 0; i < a.length; i++) {
      const z = '0'.repeat(i);
      const term = (x: number) => (x === 0 ? '0' : `${x}${z}`);
      s += `${term(a[i])}+${term(b[i])}=${term(a[i] + b[i])};`;
    }
    return `${s}=${p.answer}`;
  }

  rephrasePrompt(p: Problem, expert: string): string {
    return this.layout === 'knowledge-first' ? `K:${expert}|${p.question}` : `${p.question}|K:${expert}|R:`;
  }

  style(response: string): Style {
    if (OWN.test(response)) return 'own';
    if (EXPERT.test(response)) return 'expert';
    return 'malformed';
  }

  reward(p: Problem, response: string): number {
    const m = OWN.exec(response) ?? EXPERT.exec(response);
    if (!m) return 0;
    const given = m[m.length - 1];
    return given === p.answer ? 1 : WRONG_BUT_WELL_FORMED;
  }
}

/** The layout of the shipped base checkpoint. */
export const addition = new AdditionTask('knowledge-first');
/** The first base's layout, kept so its checkpoint (and its results) can still be run. */
export const additionQuestionFirst = new AdditionTask('question-first');
