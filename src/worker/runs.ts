// The worker's live runs: one Trainer per run, each under a stable id (`run-<n>`), and the snapshot of
// all of them after their last completed step, from which a lost device or a crashed worker resumes.
// It tells the page when the runs change (`runs`) and posts each snapshot (`snapshot`).
import type { Algo, Config } from '../core/config';
import type { GPT } from '../core/model';
import type { Task } from '../core/tasks/task';
import { Trainer } from '../core/trainer';
import { restoreTrainer, snapshotTrainer } from '../core/trainerState';
import type { RunInfo, RunsSnapshot, WorkerEvent } from './protocol';

export class RunSet {
  private next = 1;
  private list: { id: string; trainer: Trainer }[] = [];
  /** The state after the last completed step (or at the build): what a recovery restores. */
  latest: RunsSnapshot | null = null;

  constructor(private readonly post: (e: WorkerEvent) => void) {}

  get size(): number {
    return this.list.length;
  }

  /** Completed lockstep ticks (every run has taken the same number of steps). */
  get step(): number {
    return this.list[0]?.trainer.step ?? 0;
  }

  entries(): readonly { id: string; trainer: Trainer }[] {
    return this.list;
  }

  info(): RunInfo[] {
    return this.list.map(({ id, trainer }) => ({ id, algo: trainer.config.algo }));
  }

  /** The run `id`, or the first run when it is unknown or null (e.g. a loaded run file is selected). */
  pick(id: string | null): Trainer | undefined {
    return (this.list.find((r) => r.id === id) ?? this.list[0])?.trainer;
  }

  /** Fresh trainers from the start checkpoint under new ids: the page's history starts over. */
  async build(task: Task, start: GPT, config: Config, algos: Algo[]): Promise<RunInfo[]> {
    this.dispose();
    this.list = algos.map((algo) => ({ id: `run-${this.next++}`, trainer: new Trainer(task, start, { ...config, algo }) }));
    this.post({ type: 'runs', runs: this.info() });
    await this.snapshot();
    return this.info();
  }

  /** The runs of a snapshot, under their own ids, on the current backend: the page keeps their history
   *  before the snapshot's step. */
  async restore(task: Task, start: GPT, snap: RunsSnapshot): Promise<RunInfo[]> {
    this.dispose();
    for (const { id, state } of snap.runs) this.list.push({ id, trainer: await restoreTrainer(task, start, state) });
    // later builds must not reuse a resumed id (a restarted worker counts from 1 again)
    const used = snap.runs.map((r) => Number(r.id.replace(/^run-/, '')) || 0);
    this.next = Math.max(this.next, ...used.map((n) => n + 1));
    this.latest = snap;
    this.post({ type: 'runs', runs: this.info(), resumedFrom: snap.step });
    return this.info();
  }

  /** Reads every run's state to the CPU, keeps it as `latest` and posts it (the page keeps it in case the
   *  worker dies); `ms`: the time it took, the price of being able to resume. */
  async snapshot(): Promise<void> {
    const t0 = performance.now();
    const runs = await Promise.all(this.list.map(async ({ id, trainer }) => ({ id, state: await snapshotTrainer(trainer) })));
    this.latest = { step: this.step, runs };
    this.post({ type: 'snapshot', snapshot: this.latest, ms: performance.now() - t0 });
  }

  /** Disposes the trainers. On a lost device disposing can fail; the memory is gone anyway. */
  dispose(): void {
    for (const { trainer } of this.list) RunSet.quietly(() => trainer.dispose());
    this.list = [];
  }

  static quietly(free: () => void): void {
    try {
      free();
    } catch {
      // the device is gone: nothing left to free
    }
  }
}
