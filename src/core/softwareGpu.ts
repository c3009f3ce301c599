// Is this "GPU" really the CPU? Chromium without a usable GPU offers WebGPU and WebGL on SwiftShader, a
// CPU emulation that is correct but ~20–60× slower than wasm for this model (docs/DESIGN.md §8). Auto mode skips
// such adapters and says why; choosing the backend by hand still gets them.

/** Names of software rasterisers and emulated adapters, as adapters and WebGL renderers report them. */
const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|software|microsoft basic render/i;

/** The reason a backend description is a software one, or null. Pure, so it is unit-tested. */
export function softwareReason(description: string, fallbackAdapter = false): string | null {
  if (fallbackAdapter) return `a fallback (software) adapter${description.trim() ? `: ${description.trim()}` : ''}`;
  const m = SOFTWARE.exec(description);
  return m ? `a software renderer (${m[0]})` : null;
}

type AdapterLike = { isFallbackAdapter?: boolean; info?: Record<string, unknown>; requestAdapterInfo?: () => Promise<Record<string, unknown>> };

/** In a page or worker: why WebGPU or WebGL would run on the CPU here, or null (a real GPU, or unknown). */
export async function softwareBackend(backend: 'webgpu' | 'webgl'): Promise<string | null> {
  try {
    if (backend === 'webgpu') {
      const gpu = (globalThis.navigator as unknown as { gpu?: { requestAdapter(): Promise<AdapterLike | null> } } | undefined)?.gpu;
      const a = await gpu?.requestAdapter();
      if (!a) return null;
      const info = a.info ?? (await a.requestAdapterInfo?.()) ?? {};
      const text = ['vendor', 'architecture', 'device', 'description'].map((k) => String(info[k] ?? '')).join(' ');
      return softwareReason(text, Boolean(a.isFallbackAdapter ?? info.isFallbackAdapter));
    }
    if (typeof OffscreenCanvas === 'undefined') return null;
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2') ?? new OffscreenCanvas(1, 1).getContext('webgl');
    if (!gl) return null;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    return softwareReason(String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? ''));
  } catch {
    return null; // cannot tell: let the backend try
  }
}
