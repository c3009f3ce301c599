// Names and constants of the fused row kernels of the training and scoring forward (fusedOps.ts),
// shared by their JS twins (cpu, *Js.ts) and WGSL programs (webgpu, *WebGPU.ts). Every kernel takes
// a row-major [R, C] tensor (any leading shape, flattened) and per-column vectors [C].

/** x [R, C], gamma [C], beta [C] → (x − mean) / √(var + ε) · gamma + beta, per row [R, C]. */
export const LN_KERNEL = 'RepoLayerNorm';
/** x [R, C], gamma [C], dy [R, C] → dL/dx [R, C] (row statistics recomputed from x). */
export const LN_DX_KERNEL = 'RepoLayerNormGradX';
/** x [R, C], dy [R, C] → dL/dgamma = Σ_rows dy · x̂ [C]. */
export const LN_DGAMMA_KERNEL = 'RepoLayerNormGradGamma';
/** a [R, C] → Σ_rows a [C]: the bias gradients (one kernel; tf.sum over axis 0 is a transpose and a sum on webgpu). */
export const COLUMN_SUM_KERNEL = 'RepoColumnSum';
/** x [R, F], b [F] → gelu(x + b) [R, F]. */
export const GELU_KERNEL = 'RepoBiasGelu';
/** x [R, F], b [F], dy [R, F] → dy · gelu'(x + b) [R, F]. */
export const GELU_DX_KERNEL = 'RepoBiasGeluGrad';
/** x [N, H, S, D], cos [S, D/2], sin [S, D/2], attr sign (1; −1 for the gradient) → half-split RoPE of x. */
export const ROPE_KERNEL = 'RepoRope';

export const LN_EPS = 1e-5; // model.ts's layer norm ε
/** tanh-GELU as u·σ(2z), 2z = GELU_C2·(u + GELU_A·u³) (fusedOps.ts geluUnfused). */
export const GELU_C2 = 2 * Math.sqrt(2 / Math.PI);
export const GELU_A = 0.044715;
