// Seeded randomness for everything the trainer decides (problems, sampling, minibatch order).
// pure-rand's xoroshiro128+ is small, fast and has a serialisable state, so a run is reproducible
// from (seed, config) on every backend.
import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';

export class Rng {
  private g: ReturnType<typeof xoroshiro128plus>;
  constructor(seed: number) {
    this.g = xoroshiro128plus(seed | 0);
  }
  /** The stream's position (4 int32s): a snapshot continues it exactly, on any backend (trainerState.ts). */
  state(): number[] {
    return [...this.g.getState()];
  }
  static fromState(state: readonly number[]): Rng {
    const r = new Rng(0);
    r.g = xoroshiro128plusFromState(state);
    return r;
  }
  /** Uniform in [0, 1). */
  float(): number {
    return uniformFloat64(this.g);
  }
  /** Uniform integer in [from, to], both included. */
  int(from: number, to: number): number {
    return uniformInt(this.g, from, to);
  }
  /** Index drawn from unnormalised non-negative weights. */
  categorical(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i];
    let u = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i];
      if (u < 0) return i;
    }
    return weights.length - 1;
  }
  /** An independent child stream (e.g. one for eval sets, one for sampling). */
  fork(): Rng {
    return new Rng(this.int(-0x80000000, 0x7fffffff));
  }
}
