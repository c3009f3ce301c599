// The RL loss of lossTensors (loss.ts) from the logits in 5 kernels forward and 1 for the gradient on webgpu
// (WGSL, fusedLossWebGPU.ts) and cpu (JS twin, fusedLossJs.ts), where tfjs's ops take ~200 engine kernels
// (~90 GPU dispatches) per update pass: log-softmax, one-hot gather, ratio, clip, min, KL, masks, sums,
// stats and their gradients; on WebGPU each kernel costs ~0.1 ms of host time (docs/DESIGN.md §8.10). wasm keeps the tfjs ops, so its
// training records stay bit-identical (kernels/fusedOps.ts header). Same function, same gradient.
import * as tf from '@tensorflow/tfjs';
import type { LossBatch, LossTensors } from './loss';
import type { LossConfig } from './objective';
import { AGG, DATA_C, rlGradJs, rlLossJs, rlStatsJs, rlTokenJs, TOK_C, type RlAttrs } from './fusedLossJs';
import { runRlWebGPU } from './fusedLossWebGPU';
import { cpuInputs, type WebGPULike } from '../kernels/backendTypes';

/** logits [n, L, V], data [n, L, DATA_C], rows [n, 2] → tok [n, L, TOK_C]: per-token values, flags and dℓ/dlogπ. */
const TOKEN_KERNEL = 'RepoRlToken';
/** tok [n, L, TOK_C], attr what → loss [] (0), stats [5] (1), logpNew [n, L] (2), clipped [n, L] (3). */
const OUT_KERNEL = 'RepoRlOut';
/** logits, data, tok, dy [] → dL/dlogits [n, L, V]. */
const GRAD_KERNEL = 'RepoRlGrad';

let registered = false;

function register(): void {
  if (registered) return;
  registered = true;
  const kinds = [
    [TOKEN_KERNEL, 'token', ['logits', 'data', 'rows']],
    [OUT_KERNEL, 'out', ['tok']],
    [GRAD_KERNEL, 'grad', ['logits', 'data', 'tok', 'dy']],
  ] as const;
  for (const [name, kind, order] of kinds) {
    tf.registerKernel({
      kernelName: name,
      backendName: 'webgpu',
      kernelFunc: ({ inputs, attrs, backend }) =>
        runRlWebGPU(kind, order.map((k) => inputs[k] as tf.TensorInfo), attrs as unknown as RlAttrs & { what?: number }, backend as unknown as WebGPULike),
    });
    tf.registerKernel({
      kernelName: name,
      backendName: 'cpu',
      kernelFunc: ({ inputs, attrs, backend }) => {
        const { b, infos, values: v } = cpuInputs(backend, inputs, order);
        const a = attrs as unknown as RlAttrs & { what?: number };
        const [n, L, V] = infos[0].shape;
        if (kind === 'token') return b.makeTensorInfo([n, L, TOK_C], 'float32', rlTokenJs(v[0], v[1], v[2], n, L, V, a));
        if (kind === 'grad') return b.makeTensorInfo([n, L, V], 'float32', rlGradJs(v[0], v[1], v[2], v[3][0], V));
        if (a.what === 0) return b.makeTensorInfo([], 'float32', Float32Array.of(rlLossJs(v[0], n, L, a)));
        if (a.what === 1) return b.makeTensorInfo([5], 'float32', rlStatsJs(v[0]));
        const out = new Float32Array(n * L);
        for (let j = 0; j < n * L; j++) out[j] = a.what === 2 ? v[0][j * TOK_C] : v[0][j * TOK_C + 2] + v[0][j * TOK_C + 3];
        return b.makeTensorInfo([n, L], 'float32', out);
      },
    });
  }
}

/** lossTensors' outputs from the logits [n, L, V] (model.continuationLogits), with a gradient w.r.t. the
 *  logits only. webgpu and cpu only. Call inside tf.tidy or tf.variableGrads. */
export function fusedLossTensors(logits: tf.Tensor3D, b: LossBatch, c: LossConfig): LossTensors {
  register();
  const [n, L] = logits.shape;
  const useRef = b.logpRef !== undefined && c.beta > 0;
  // Inputs packed in JS (no kernels), and masked positions' old/ref log-probs, which may be garbage,
  // replaced by 0 before any arithmetic: as in lossTensors, masked tokens never make a NaN.
  const data = new Float32Array(n * L * DATA_C); // [n, L, DATA_C]
  for (let j = 0; j < n * L; j++) {
    const m = b.packed.contMask[j];
    data[j * DATA_C] = b.packed.targets[j];
    data[j * DATA_C + 1] = m;
    if (!(m > 0)) continue;
    data[j * DATA_C + 2] = b.logpOld[j];
    data[j * DATA_C + 3] = useRef ? b.logpRef![j] : 0;
  }
  const rows = new Float32Array(n * 2); // [n, 2]: advantage, off-policy
  for (let i = 0; i < n; i++) [rows[i * 2], rows[i * 2 + 1]] = [b.advantages[i], b.offPolicy[i]];
  const dataT = tf.tensor3d(data, [n, L, DATA_C]);
  const rowsT = tf.tensor2d(rows, [n, 2]);
  const attrs: RlAttrs = { agg: AGG[c.aggregation], noClip: c.noClip ? 1 : 0, useRef: useRef ? 1 : 0, maxNew: c.maxNewTokens, epsLow: c.epsLow, epsHigh: c.epsHigh, beta: c.beta, gamma: c.shapingGamma ?? 0 };
  const run = (name: string, inputs: Record<string, tf.Tensor>, what = 0) =>
    tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap, { ...attrs, what } as unknown as tf.NamedAttrMap) as tf.Tensor;
  // tok is data to the loss's custom gradient, which recomputes the softmax from the logits. tf.grad
  // disposes the forward's intermediates before the backward pass: what the gradient reads is saved.
  const tok = run(TOKEN_KERNEL, { logits, data: dataT, rows: rowsT }); // [n, L, TOK_C]
  const lossOp = tf.customGrad(((lg: tf.Tensor, save: tf.GradSaveFunc) => {
    save([lg, dataT, tok]);
    return {
      value: run(OUT_KERNEL, { tok }, 0),
      gradFunc: (dy: tf.Tensor, [slg, sd, st]: tf.Tensor[]) => run(GRAD_KERNEL, { logits: slg, data: sd, tok: st, dy }),
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor) => tf.Tensor;
  return {
    loss: lossOp(logits) as tf.Scalar,
    logpNew: run(OUT_KERNEL, { tok }, 2) as tf.Tensor2D,
    clipped: run(OUT_KERNEL, { tok }, 3) as tf.Tensor2D,
    stats: run(OUT_KERNEL, { tok }, 1) as tf.Tensor1D,
  };
}

/** log π(target) of every position, logits [n, L, V], targets [n·L] → [n, L], without gradient (scoring
 *  the old and reference log-probs): the per-token kernel with every position on, and the logpNew pick,
 *  2 kernels where tfjs's log-softmax, one-hot and sum take ~10. webgpu and cpu only. Call inside tf.tidy. */
export function fusedTokenLogProbs(logits: tf.Tensor3D, targets: ArrayLike<number>): tf.Tensor2D {
  register();
  const [n, L] = logits.shape;
  const data = new Float32Array(n * L * DATA_C); // [n, L, DATA_C]: target, mask 1, old 0, ref 0
  for (let j = 0; j < n * L; j++) [data[j * DATA_C], data[j * DATA_C + 1]] = [targets[j], 1];
  // agg 2: the aggregation weight needs no pass over the mask; the loss channels are not read.
  const attrs = { agg: 2, noClip: 1, useRef: 0, maxNew: 1, epsLow: 0, epsHigh: 0, beta: 0, gamma: 0 } as unknown as tf.NamedAttrMap;
  const inputs = { logits, data: tf.tensor3d(data, [n, L, DATA_C]), rows: tf.tensor2d(new Float32Array(n * 2), [n, 2]) } as unknown as tf.NamedTensorMap;
  const tok = tf.engine().runKernel(TOKEN_KERNEL, inputs, attrs) as tf.Tensor;
  return tf.engine().runKernel(OUT_KERNEL, { tok } as unknown as tf.NamedTensorMap, { ...attrs, what: 2 }) as tf.Tensor2D;
}
