// Starts tfjs's webgpu backend in Node for a test file (Dawn's WebGPU; SwiftShader's Vulkan driver where
// there is no GPU). Returns '' when it runs, else why not, printed once so a skipped file says why.
import { setupNodeWebGPU, type AdapterInfo } from '../cli/webgpuNode';
import { useBackend } from '../core/backend';

export async function startNodeWebGPU(what: string, onAdapter?: (a: AdapterInfo) => void): Promise<string> {
  let skip = '';
  try {
    const a = await setupNodeWebGPU();
    onAdapter?.(a);
    if (!(await useBackend('webgpu'))) skip = 'tfjs webgpu backend did not start';
  } catch (e) {
    skip = (e as Error).message;
  }
  if (skip) console.log(`skipping ${what}: ${skip}`);
  return skip;
}
