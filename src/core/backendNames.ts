// Backend names and orders without importing tfjs, so the page can list them without loading it.
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export const BROWSER_ORDER: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];
export const NODE_ORDER: BackendName[] = ['wasm', 'cpu'];
/** What Node's --backend accepts: webgpu needs the optional `webgpu` package and a Vulkan driver. */
export const NODE_BACKENDS: BackendName[] = ['wasm', 'cpu', 'webgpu'];
