// The trainer host: owns the start checkpoint and the runs, and turns protocol commands into training
// ticks. Every state change goes through `exclusive`, so a reset, a checkpoint load, a backend switch or
// a recovery never lands in the middle of a step. It is the one owner of `playing` and `busy`: every
// change of either goes out in a `state` event (docs/PROTOCOL.md).
import * as tf from '@tensorflow/tfjs';
import { checkedOnWebGPU, useBackend, watchWebGPUErrors, WebGPUError, type BackendName } from '../core/backend';
import type { Algo, Config } from '../core/config';
import type { GPT } from '../core/model';
import type { StepProgress, StepRecord } from '../core/record';
import type { Task } from '../core/tasks/task';
import { runAblation } from './ablationRun';
import { chooseBackend } from './chooseBackend';
import { listSaved, readCheckpoint, rebuild, removeSaved, saveRun, sourceLabel } from './checkpoints';
import { AFTER_DEVICE_LOSS, loseDevice, watchDeviceLoss } from './deviceLoss';
import { scopeOf, type CheckpointSource, type Command, type Replies, type Request, type RunsSnapshot, type WorkerEvent } from './protocol';
import { RunSet } from './runs';

type Post = (e: WorkerEvent, transfer?: Transferable[]) => void;
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export class Host {
  private base: GPT | null = null;
  private task: Task | null = null; // the task the loaded checkpoint was trained for
  private artifacts: tf.io.ModelArtifacts | null = null;
  private label = '';
  private config!: Config;
  private algos: Algo[] = [];
  private backend: BackendName = 'cpu';
  private playing = false;
  private busy: string | null = null;
  private looping = false;
  private intervalMs = 0;
  private ablating = false;
  private cancelAblation = false;
  private debug = false;
  private lock: Promise<unknown> = Promise.resolve();
  private gpuError: string | null = null; // a WebGPU error since the trainers were built: their weights are garbage
  private lost: string | null = null; // the WebGPU device is gone (why); a recovery is queued
  private stepsOnBackend = 0; // ticks since the backend started (the first one compiles WebGPU's shaders)
  private readonly runs = new RunSet((e) => this.post(e));

  constructor(private readonly post: Post) {}

  /** Runs `fn` alone, never inside a step. `busy`: what the page is told the worker is doing, from the
   *  moment it is asked (it may wait for the step in flight) until it is done. */
  private exclusive<T>(fn: () => Promise<T>, busy?: string): Promise<T> {
    if (busy) this.setBusy(busy);
    const run = this.lock.then(fn, fn).finally(() => busy && this.busy === busy && this.setBusy(null));
    this.lock = run.catch(() => undefined);
    return run;
  }

  async handle(cmd: Command): Promise<void> {
    if ('requestId' in cmd) return this.answer(cmd);
    switch (cmd.type) {
      case 'play':
        if (this.ablating) return this.post({ type: 'notice', message: 'the ablation is running; cancel it to train' });
        this.setPlaying(true);
        void this.loop();
        return;
      case 'pause':
        return this.setPlaying(false);
      case 'step':
        if (this.playing || this.ablating) return;
        return this.exclusive(() => this.tick());
      case 'setConfig':
        return this.exclusive(async () => {
          this.config = cmd.config;
          for (const { trainer } of this.runs.entries()) trainer.setConfig({ ...cmd.config, algo: trainer.config.algo });
        });
      case 'setSpeed':
        return void (this.intervalMs = Math.max(0, cmd.intervalMs));
      case 'ablationCancel':
        return void (this.cancelAblation = true);
      case 'debug':
        if (!this.debug) return this.post({ type: 'notice', message: 'debug commands are for the e2e tests only' });
        if (cmd.action === 'crash') setTimeout(() => { throw new Error('crashed on purpose (e2e debug command)'); });
        else if (!loseDevice()) this.post({ type: 'notice', message: 'not on WebGPU: no device to lose' });
        return;
    }
  }

  /** Runs a request and echoes its id in exactly one reply or error. */
  private async answer(req: Request & { requestId: number }): Promise<void> {
    const { requestId } = req;
    try {
      const result = await this.request(req);
      const download = (result as Replies['saveCheckpoint']).download;
      this.post({ type: 'reply', requestId, request: req.type, result } as WorkerEvent, download ? [download.weights] : []);
    } catch (e) {
      this.post({ type: 'error', requestId, scope: scopeOf(req.type), message: message(e) });
    }
  }

  private async request(req: Request): Promise<Replies[Request['type']]> {
    switch (req.type) {
      case 'init':
        this.debug = !!req.debug;
        return this.exclusive(() => this.init(req.config, req.algos, req.backend, req.checkpoint, req.resume));
      case 'reset':
        this.setPlaying(false);
        return this.exclusive(async () => {
          this.config = req.config;
          this.algos = req.algos;
          return { runs: await this.buildRuns() };
        });
      case 'setBackend':
        return this.exclusive(() => this.switchBackend(req.backend), `switching to ${req.backend}`);
      case 'saveCheckpoint':
        return this.exclusive(() => saveRun(this.runs.pick(req.runId), req.target, req.name, this.label), `${req.target === 'indexeddb' ? 'saving' : 'preparing'} ${req.name}`);
      case 'loadCheckpoint':
        return this.exclusive(() => this.load(req.source), `loading ${sourceLabel(req.source)}`);
      case 'listCheckpoints':
        return { names: await listSaved() };
      case 'deleteCheckpoint':
        await removeSaved(req.name);
        return { names: await listSaved() };
      case 'ablationStart':
        this.setPlaying(false);
        return this.exclusive(async () => {
          [this.ablating, this.cancelAblation] = [true, false];
          try {
            const cells = await runAblation(this.task!, this.base!, this.config, req.spec, this.post, () => this.cancelAblation || !!this.gpuError || !!this.lost);
            return { cancelled: this.cancelAblation, cells };
          } finally {
            this.ablating = false;
          }
        });
    }
  }

  private postState(): void {
    this.post({ type: 'state', playing: this.playing, busy: this.busy, step: this.runs.step });
  }

  private setPlaying(playing: boolean): void {
    this.playing = playing;
    this.postState();
  }

  private setBusy(busy: string | null): void {
    this.busy = busy;
    this.postState();
  }

  private async init(config: Config, algos: Algo[], want: BackendName | 'auto', source: CheckpointSource, resume?: RunsSnapshot): Promise<Replies['init']> {
    this.config = config;
    this.algos = algos;
    const { picked, tried } = await chooseBackend(want);
    this.backend = picked;
    this.watchGpu();
    if (want !== 'auto' && picked !== want) this.post({ type: 'error', scope: 'backend', message: `backend ${want} failed to start; running on ${picked}` });
    await this.load(source, resume);
    return { backend: picked, tried, checkpoint: this.label, numParams: this.base!.numParams, runs: this.runs.info() };
  }

  private watchGpu(): void {
    watchWebGPUErrors((m) => this.stopOnGpuError(m));
    watchDeviceLoss((why) => this.onDeviceLost(why));
  }

  /** Validates the new checkpoint fully before touching the current one (a bad file keeps the model).
   *  `resume`: continue these runs instead of starting new ones from the checkpoint. */
  private async load(source: CheckpointSource, resume?: RunsSnapshot): Promise<Replies['loadCheckpoint']> {
    this.setPlaying(false);
    const { model, task, artifacts, warning } = await readCheckpoint(source);
    if (warning) this.post({ type: 'notice', message: warning }); // an old checkpoint without a checksum
    this.base?.dispose();
    this.base = model;
    this.task = task;
    this.artifacts = artifacts;
    this.label = sourceLabel(source);
    if (resume) await this.restoreRuns(resume);
    else await this.buildRuns();
    return { checkpoint: this.label, numParams: model.numParams };
  }

  /** New runs from the checkpoint (fresh weights: no GPU error stands). */
  private async buildRuns() {
    this.gpuError = null;
    const runs = await this.runs.build(this.task!, this.base!, this.config, this.algos);
    this.postState();
    return runs;
  }

  private async restoreRuns(snap: RunsSnapshot) {
    this.gpuError = null;
    this.algos = (await this.runs.restore(this.task!, this.base!, snap)).map((r) => r.algo);
    this.postState();
  }

  private async tick(): Promise<void> {
    if (this.gpuError) return this.stopOnGpuError(this.gpuError);
    const step = this.runs.step;
    const records: Record<string, StepRecord> = {};
    let runId: string | undefined;
    try {
      for (const [run, { id, trainer }] of this.runs.entries().entries()) {
        runId = id;
        const onProgress = (p: StepProgress) => this.post({ type: 'progress', step, runId: id, run, runs: this.runs.size, ...p, firstOnBackend: this.stepsOnBackend === 0 });
        records[id] = await checkedOnWebGPU(() => trainer.trainStep({ onProgress }));
      }
      this.stepsOnBackend++;
      if (!this.lost) {
        this.post({ type: 'steps', step, records });
        await this.runs.snapshot();
      }
    } catch (e) {
      if (this.lost) return; // the recovery queued behind this tick takes over
      if (e instanceof WebGPUError) return this.stopOnGpuError(e.message);
      this.playing = false;
      this.post({ type: 'error', scope: 'training', runId, message: `training step failed: ${message(e)}` });
    }
    // A step that ended after the device was lost computed on nothing: dropped, the recovery redoes it.
    if (!this.lost) this.postState();
  }

  private async loop(): Promise<void> {
    if (this.looping) return;
    this.looping = true;
    try {
      while (this.playing) {
        if (this.runs.size && this.runs.step >= this.config.steps) {
          // the run's budget (the `steps` setting) is spent: stop like the CLI would
          this.post({ type: 'notice', message: `reached ${this.config.steps} steps (the "steps" setting); raise it to train on` });
          this.setPlaying(false);
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

  private async switchBackend(name: BackendName): Promise<Replies['setBackend']> {
    this.setPlaying(false);
    const ok = (await this.moveTo([name, this.backend])) === name; // else keep the one that worked
    await this.buildRuns();
    return { backend: this.backend, ok, message: ok ? undefined : `backend ${name} failed to start; still on ${this.backend}` };
  }

  /** Drops the runs and the start model, starts the first backend of `order` that starts and rebuilds the
   *  start model there (the runs are the caller's to build or restore). */
  private async moveTo(order: BackendName[]): Promise<BackendName> {
    this.runs.dispose();
    RunSet.quietly(() => this.base?.dispose()); // after a lost device it may throw: the memory went with it
    this.base = null;
    let picked: BackendName | null = null;
    for (const b of order) if (!picked && (await useBackend(b))) picked = b;
    if (!picked) throw new Error(`no backend could start (tried ${order.join(', ')})`);
    this.backend = picked;
    this.stepsOnBackend = 0;
    this.watchGpu();
    this.base = await rebuild(this.artifacts!);
    return picked;
  }

  /** The WebGPU device is gone: queue the recovery (after the step in flight, which fails or is dropped). */
  private onDeviceLost(why: string): void {
    if (this.backend !== 'webgpu' || this.lost) return; // a device tfjs no longer uses
    this.lost = why;
    this.cancelAblation = this.ablating || this.cancelAblation;
    this.exclusive(() => this.recover(why), 'recovering from the lost GPU device').catch((e) =>
      this.post({ type: 'error', scope: 'training', message: `could not recover from the lost GPU device: ${message(e)}` }),
    );
  }

  /** Goes on on a CPU backend from the last snapshot: the weights, Adam state and random streams after the
   *  last completed step. Playing stays as it was. */
  private async recover(why: string): Promise<void> {
    const snap = this.runs.latest;
    this.lost = null;
    const backend = await this.moveTo(AFTER_DEVICE_LOSS);
    this.post({ type: 'backend', backend });
    if (snap) await this.restoreRuns(snap);
    else await this.buildRuns();
    this.post({ type: 'recovered', reason: why, backend, step: snap?.step ?? 0 });
  }

  /** Any WebGPU validation/out-of-memory error means the GPU dropped work and the tensors hold garbage
   *  (docs/DESIGN.md §8.9): stop, say so, and refuse to step until a reset, load or backend switch. */
  private stopOnGpuError(message: string): void {
    const first = !this.gpuError;
    this.gpuError = message;
    this.playing = false;
    this.cancelAblation = this.ablating || this.cancelAblation;
    if (first) this.post({ type: 'error', scope: 'training', message: `training stopped: ${message}. The GPU dropped work, so this run's weights are not to be trusted; reset, or switch to wasm.` });
    else this.post({ type: 'notice', message: 'training is stopped after a WebGPU error; reset, load a checkpoint or switch backend first' });
    this.postState();
  }
}

export { message };
