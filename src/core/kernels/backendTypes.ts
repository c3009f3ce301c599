// The slices of tfjs's webgpu and cpu backends that this repo's custom kernels use. tfjs does not export
// these types from its public entry points, so each kernel file would otherwise declare its own copy.
import type * as tf from '@tensorflow/tfjs';

/** The subset of tfjs-backend-webgpu's WebGPUProgram our WGSL programs fill in. */
export interface Program {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  uniforms: string;
  size: boolean;
  getUserCode(): string;
}

export type Uniforms = { type: string; data: number[] }[];

/** tfjs-backend-webgpu: runs a program; with `output`, writes into that tensor's buffer in place. */
export interface WebGPULike {
  runWebGPUProgram(p: Program, inputs: tf.TensorInfo[], dtype: tf.DataType, uniforms: Uniforms, output?: tf.TensorInfo): tf.TensorInfo;
  incRef(id: tf.DataId): void;
}

/** tfjs's cpu backend: a tensor's values (kept on the CPU, or read) and new tensors from values. */
export interface CpuLike {
  data: { get(id: tf.DataId): { values?: unknown } };
  readSync(id: tf.DataId): unknown;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
  incRef(id: tf.DataId): void;
}

/** A cpu-backend tensor's values as float32 (no copy when they are already on the CPU as such). */
export function cpuValues(b: CpuLike, t: tf.TensorInfo): Float32Array {
  return (b.data.get(t.dataId).values ?? b.readSync(t.dataId)) as Float32Array;
}

/** A cpu kernel's backend, its inputs in `order` and their values. */
export function cpuInputs(backend: unknown, inputs: tf.NamedTensorInfoMap, order: readonly string[]): { b: CpuLike; infos: tf.TensorInfo[]; values: Float32Array[] } {
  const b = backend as CpuLike;
  const infos = order.map((k) => inputs[k] as tf.TensorInfo);
  return { b, infos, values: infos.map((t) => cpuValues(b, t)) };
}
