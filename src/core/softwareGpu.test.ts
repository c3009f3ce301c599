import { describe, expect, it } from 'vitest';
import { softwareReason } from './softwareGpu';

describe('software GPU detection', () => {
  it('names SwiftShader, llvmpipe and fallback adapters; real GPUs pass', () => {
    expect(softwareReason('google swiftshader  ')).toBe('a software renderer (swiftshader)');
    expect(softwareReason('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)')).toMatch(/SwiftShader/);
    expect(softwareReason('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe('a software renderer (llvmpipe)');
    expect(softwareReason('nvidia hopper', true)).toBe('a fallback (software) adapter: nvidia hopper');
    expect(softwareReason('nvidia hopper NVIDIA H200')).toBeNull();
    expect(softwareReason('ANGLE (Apple, ANGLE Metal Renderer: Apple M2, Unspecified Version)')).toBeNull();
    expect(softwareReason('')).toBeNull();
  });
});
