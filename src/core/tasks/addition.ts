// Addition with a scratchpad (DESIGN §2). Both operands of a d-digit problem have exactly d digits.
//
//   question   347+589=
//   own        7+9=16;4+8+1=13;3+5+1=9;>936          right to left, one column and its carry-in
//   expert     7+9=16;40+80=120;300+500=800;=936     place values, no carries (foreign to the base)
//   rephrase   347+589=|K:<expert>|R:                 the policy continues with its own style
//
// Reward (documented in the README):
//   1.0                      well-formed (own or expert style) and the final answer is right
//   0.1 + 0.2·(digit match)  well-formed, wrong answer: share of answer digits right, aligned from the right
//   0.0                      malformed (neither style parses)
// So δ ∈ (0.3, 1] fails every wrong answer, δ ∈ (0.1, 0.3] fails only badly wrong ones, δ ≤ 0.1 only garbage.
import type { Problem, Split, Style, Task } from './task';
import type { Rng } from '../rng';

const OWN = /^(\d\+\d(\+1)?=\d{1,2};)+>(\d+)$/;
const EXPERT = /^(\d+\+\d+=\d+;)+=(\d+)$/;

function digits(n: string): number[] {
  return [...n].reverse().map(Number); // least significant first
}

export class AdditionTask implements Task {
  readonly name = 'addition';
  readonly difficulties: Record<Split, number[]> = { easy: [1, 2, 3], hard: [4, 5] };
  readonly maxResponseLength = 5 * 9 + 1 + 6 + 1; // 5 columns "d+d+1=dd;", ">", 6 answer digits, EOS

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
    return `${p.question}|K:${expert}|R:`;
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
    if (given === p.answer) return 1;
    const want = p.answer;
    let match = 0;
    for (let i = 1; i <= want.length; i++) if (given[given.length - i] === want[want.length - i]) match++;
    return 0.1 + (0.2 * match) / Math.max(want.length, given.length);
  }
}

export const addition = new AdditionTask();
