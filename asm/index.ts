// The wasm module's exports (asm/build.mjs compiles this file).
export { bmm, bmmRows } from './matmul';
export { geluForward, geluBackward } from './gelu';
export { lnForward, lnBackward } from './layerNorm';
export { colSum } from './reduce';
export { adamStep } from './adam';
export { qkvForward, qkvBackward } from './qkvHeads';
export { scaleBias, softmaxGrad } from './attention';
export { copyRows } from './copy';
