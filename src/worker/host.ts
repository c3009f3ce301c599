// The trainer host: owns the start checkpoint and one Trainer per run, and turns protocol commands
// into training ticks. Every state change goes through `exclusive`, so a reset, a checkpoint load or
// a backend switch never lands in the middle of a step.
import * as tf from '@tensorflow/tfjs';
import { ablationGrid, runAblationCell, type CellResult } from '../core/ablation';
import { BROWSER_ORDER, checkedOnWebGPU, useBackend, watchWebGPUErrors, WebGPUError, type BackendName } from '../core/backend';
import type { Algo, Config } from '../core/config';
import type { GPT } from '../core/model';
import type { StepProgress, StepRecord } from '../core/record';
import type { Task } from '../core/tasks/task';
import { Trainer } from '../core/trainer';
import { downloadArtifacts, listSaved, readCheckpoint, rebuild, removeSaved, saveToIndexedDB, sourceLabel } from './checkpoints';
import type { AblationSpec, CheckpointSource, Command, TriedBackend, WorkerEvent } from './protocol';
import { softwareBackend } from '../core/softwareGpu';
import { probeBackends } from '../core/probe';

type Post = (e: WorkerEvent, transfer?: Transferable[]) => void;
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export class Host {
  private base: GPT | null = null;
  private task: Task | null = null; // the task the loaded checkpoint was trained for
  private artifacts: tf.io.ModelArtifacts | null = null;
  private label = '';
  private trainers: Trainer[] = [];
  private config!: Config;
  private algos: Algo[] = [];
  private backend: BackendName = 'cpu';
  private playing = false;
  private looping = false;
  private intervalMs = 0;
  private ablating = false;
  private cancelAblation = false;
  private lock: Promise<unknown> = Promise.resolve();
  private gpuError: string | null = null; // a WebGPU error since the trainers were built: their weights are garbage
  private stepsOnBackend = 0; // ticks since the backend started (the first one compiles WebGPU's shaders)

  constructor(private readonly post: Post) {}

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  async handle(cmd: Command): Promise<void> {
    switch (cmd.type) {
      case 'init':
        return this.exclusive(() => this.init(cmd.config, cmd.algos, cmd.backend, cmd.checkpoint));
      case 'play':
        if (this.ablating) return this.post({ type: 'notice', message: 'the ablation is running; cancel it to train' });
        this.playing = true;
        this.postState();
        void this.loop();
        return;
      case 'pause':
        this.playing = false;
        this.postState();
        return;
      case 'step':
        if (this.playing || this.ablating) return;
        return this.exclusive(() => this.tick());
      case 'reset':
        return this.exclusive(async () => {
          this.config = cmd.config;
          this.algos = cmd.algos;
          this.buildTrainers();
        });
      case 'setConfig':
        return this.exclusive(async () => {
          this.config = cmd.config;
          for (const t of this.trainers) t.setConfig({ ...cmd.config, algo: t.config.algo });
        });
      case 'setSpeed':
        this.intervalMs = Math.max(0, cmd.intervalMs);
        return;
      case 'setBackend':
        return this.exclusive(() => this.switchBackend(cmd.backend));
      case 'saveCheckpoint':
        return this.exclusive(() => this.save(cmd.target, cmd.name, cmd.run));
      case 'loadCheckpoint':
        return this.exclusive(() => this.load(cmd.source, true));
      case 'listCheckpoints':
        return this.postList();
      case 'deleteCheckpoint':
        await removeSaved(cmd.name);
        return this.postList();
      case 'ablationStart':
        this.playing = false;
        this.postState();
        return this.exclusive(() => this.ablation(cmd.spec));
      case 'ablationCancel':
        this.cancelAblation = true;
        return;
    }
  }

  private postState(): void {
    this.post({ type: 'state', playing: this.playing, step: this.trainers[0]?.step ?? 0 });
  }

  private async postList(): Promise<void> {
    this.post({ type: 'checkpointList', names: await listSaved() });
  }

  private async init(config: Config, algos: Algo[], want: BackendName | 'auto', source: CheckpointSource): Promise<void> {
    this.config = config;
    this.algos = algos;
    const order = want === 'auto' ? BROWSER_ORDER : [want, ...BROWSER_ORDER.filter((b) => b !== want)];
    const tried: TriedBackend[] = [];
    const skipped: BackendName[] = [];
    const start = async (b: BackendName) => {
      const ok = await useBackend(b);
      tried.push({ backend: b, ok });
      return ok;
    };
    let picked: BackendName | null = null;
    const started: BackendName[] = []; // auto mode: every backend that starts goes into the probe
    for (const b of order) {
      // Auto mode passes over WebGPU/WebGL that run on the CPU (SwiftShader): wasm is far faster there.
      const soft = want === 'auto' && (b === 'webgpu' || b === 'webgl') ? await softwareBackend(b) : null;
      if (soft) {
        tried.push({ backend: b, ok: false, skipped: `runs on ${soft}` });
        skipped.push(b);
      } else if (await start(b)) {
        picked = b;
        if (want !== 'auto') break;
        started.push(b);
      }
    }
    // Auto mode: time each started backend and check its numbers against cpu's, keep the fastest that passes.
    if (started.length > 1) {
      const choice = await probeBackends(started, useBackend);
      picked = choice.picked;
      for (const r of choice.rejected) Object.assign(tried.find((t) => t.backend === r.backend)!, { skipped: r.reason });
      tried.find((t) => t.backend === picked)!.probe = choice.reason;
    }
    // Nothing else started: a software GPU is still better than nothing.
    for (const b of picked ? [] : skipped) {
      if (await start(b)) {
        picked = b;
        break;
      }
    }
    if (!picked) throw new Error(`no tfjs backend could start (tried ${order.join(', ')})`);
    this.backend = picked;
    watchWebGPUErrors((m) => this.stopOnGpuError(m));
    if (want !== 'auto' && picked !== want) this.post({ type: 'error', scope: 'backend', message: `backend ${want} failed to start; running on ${picked}` });
    await this.load(source, false);
    this.post({ type: 'ready', backend: picked, tried, checkpoint: this.label, numParams: this.base!.numParams });
  }

  /** Validates the new checkpoint fully before touching the current one (a bad file keeps the model). */
  private async load(source: CheckpointSource, announce: boolean): Promise<void> {
    this.playing = false;
    const { model, task, artifacts, warning } = await readCheckpoint(source);
    if (warning) this.post({ type: 'notice', message: warning }); // an old checkpoint without a checksum
    this.base?.dispose();
    this.base = model;
    this.task = task;
    this.artifacts = artifacts;
    this.label = sourceLabel(source);
    this.buildTrainers();
    if (announce) this.post({ type: 'checkpoint', checkpoint: this.label, numParams: model.numParams });
    this.postState();
  }

  private buildTrainers(): void {
    for (const t of this.trainers) t.dispose();
    this.gpuError = null; // fresh weights from the checkpoint
    this.trainers = this.algos.map((algo) => new Trainer(this.task!, this.base!, { ...this.config, algo }));
    this.post({ type: 'reset', algos: this.algos });
    this.postState();
  }

  private async tick(): Promise<void> {
    const records: StepRecord[] = [];
    if (this.gpuError) return this.stopOnGpuError(this.gpuError);
    try {
      for (const [run, t] of this.trainers.entries()) {
        const onProgress = (p: StepProgress) => this.post({ type: 'progress', step: t.step, run, runs: this.trainers.length, ...p, firstOnBackend: this.stepsOnBackend === 0 });
        records.push(await checkedOnWebGPU(() => t.trainStep({ onProgress })));
      }
      this.stepsOnBackend++;
    } catch (e) {
      if (e instanceof WebGPUError) return this.stopOnGpuError(e.message);
      this.playing = false;
      this.post({ type: 'error', scope: 'training', message: `training step failed: ${message(e)}` });
      this.postState();
      return;
    }
    this.post({ type: 'steps', records });
    this.postState();
  }

  private async loop(): Promise<void> {
    if (this.looping) return;
    this.looping = true;
    try {
      while (this.playing) {
        if (this.trainers.length && this.trainers[0].step >= this.config.steps) {
          // the run's budget (the `steps` setting) is spent: stop like the CLI would
          this.playing = false;
          this.post({ type: 'notice', message: `reached ${this.config.steps} steps (the "steps" setting); raise it to train on` });
          this.postState();
          break;
        }
        const t0 = performance.now();
        await this.exclusive(() => (this.playing ? this.tick() : Promise.resolve()));
        // Always yield to the event loop so pause/cancel messages are seen between ticks.
        const wait = Math.max(0, this.intervalMs - (performance.now() - t0));
        await new Promise((r) => setTimeout(r, wait));
      }
    } finally {
      this.looping = false;
    }
  }

  private async switchBackend(name: BackendName): Promise<void> {
    this.playing = false;
    for (const t of this.trainers) t.dispose();
    this.trainers = [];
    this.base?.dispose();
    this.base = null;
    const ok = await useBackend(name);
    if (ok) this.backend = name;
    else await useBackend(this.backend); // keep the one that worked
    this.stepsOnBackend = 0;
    watchWebGPUErrors((m) => this.stopOnGpuError(m));
    this.post({ type: 'backend', backend: this.backend, ok, message: ok ? undefined : `backend ${name} failed to start; still on ${this.backend}` });
    this.base = await rebuild(this.artifacts!);
    this.buildTrainers();
  }

  /**
   * Any WebGPU validation/out-of-memory error means the GPU dropped work and the tensors hold
   * garbage (docs/DESIGN.md §8.9): stop, say so, and refuse to step until a reset, load or backend switch.
   */
  private stopOnGpuError(message: string): void {
    const first = !this.gpuError;
    this.gpuError = message;
    this.playing = false;
    this.cancelAblation = this.ablating || this.cancelAblation;
    if (first) this.post({ type: 'error', scope: 'training', message: `training stopped: ${message}. The GPU dropped work, so this run's weights are not to be trusted; reset, or switch to wasm.` });
    else this.post({ type: 'notice', message: 'training is stopped after a WebGPU error; reset, load a checkpoint or switch backend first' });
    this.postState();
  }

  private async save(target: 'indexeddb' | 'download', name: string, run: number): Promise<void> {
    const t = this.trainers[run] ?? this.trainers[0];
    const note = { from: this.label, algo: t.config.algo, step: t.step, seed: t.config.seed, savedAt: new Date().toISOString() };
    if (target === 'indexeddb') {
      await saveToIndexedDB(t.policy, t.task, name, note);
      await this.postList();
    } else {
      const { modelJson, weights } = await downloadArtifacts(t.policy, t.task, name, note);
      this.post({ type: 'download', name, modelJson, weights }, [weights]);
    }
    this.post({ type: 'saved', target, name });
  }

  private async ablation(spec: AblationSpec): Promise<void> {
    const cells = ablationGrid(spec.rhos, spec.deltas);
    const done: CellResult[] = [];
    this.ablating = true;
    this.cancelAblation = false;
    this.post({ type: 'ablationProgress', done: 0, total: cells.length });
    try {
      for (const cell of cells) {
        const r = await runAblationCell(this.task!, this.base!, { ...this.config, algo: spec.algo }, cell, spec.stepsPerCell, spec.evalSize, () => this.cancelAblation || !!this.gpuError);
        if (!r) break;
        done.push(r);
        this.post({ type: 'ablationProgress', done: done.length, total: cells.length, cell: r });
      }
    } finally {
      this.ablating = false;
    }
    this.post({ type: 'ablationDone', cancelled: this.cancelAblation, cells: done });
  }
}

export { message };
