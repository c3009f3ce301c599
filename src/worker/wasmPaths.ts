// Vite serves the wasm binaries under hashed names; tfjs must be told where (docs/DESIGN.md §8.2).
// Absolute URLs so the page and the worker resolve them alike.
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

export function registerWasmPaths(origin: string): void {
  const abs = (u: string) => new URL(u, origin).href;
  setWasmPaths({
    'tfjs-backend-wasm.wasm': abs(wasm),
    'tfjs-backend-wasm-simd.wasm': abs(simd),
    'tfjs-backend-wasm-threaded-simd.wasm': abs(threaded),
  });
}
