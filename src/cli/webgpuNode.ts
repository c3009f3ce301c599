// WebGPU in Node through Dawn's `webgpu` package (an optional dependency), so the CLIs can train and
// bench headless on WebGPU (docs/DESIGN.md §8). Nothing here loads unless asked for.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';

/** The SwiftShader Vulkan driver that Debian's chromium package ships (WebGPU on the CPU). */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

export interface AdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  maxStorageBuffersPerShaderStage: number;
}

// Run in a child so that Dawn's and the Vulkan loader's own stderr lines (missing drivers, refused
// devices) never reach ours: the CLI promises one clear line.
const PROBE = (entry: string, flags: string[]) => `
const { create } = await import(${JSON.stringify(entry)});
const a = await create(${JSON.stringify(flags)}).requestAdapter();
process.stdout.write(JSON.stringify(a && { vendor: a.info.vendor, architecture: a.info.architecture, device: a.info.device, description: a.info.description, maxStorageBuffersPerShaderStage: a.limits.maxStorageBuffersPerShaderStage }));
process.exit(0);
`;

/** The `webgpu` package's entry as a file URL, or null when the optional dependency is missing. */
function webgpuEntry(): string | null {
  try {
    return pathToFileURL(createRequire(import.meta.url).resolve('webgpu')).href;
  } catch {
    return null;
  }
}

/**
 * Dawn's own flags from WEBGPU_NODE_FLAGS (comma-separated). `backend=null` picks Dawn's null backend,
 * which does the host side of every call (tfjs, validation, encoding) and runs nothing on a device: the
 * bench's `--host-cost replay` times a step's host cost with it on a machine without a GPU.
 */
export function dawnFlags(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.WEBGPU_NODE_FLAGS ?? '').split(',').map((f) => f.trim()).filter(Boolean);
}

function probe(entry: string, env: NodeJS.ProcessEnv): { adapter: AdapterInfo | null; detail: string } {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', PROBE(entry, dawnFlags(env))], { env, encoding: 'utf8', timeout: 60_000 });
  let adapter: AdapterInfo | null = null;
  try {
    adapter = JSON.parse(r.stdout || 'null');
  } catch {
    adapter = null;
  }
  // The most telling native line, e.g. "vkCreateInstance: Found no drivers!"
  const lines = (r.stderr ?? '').split('\n').map((l) => l.replace(/^(Warning|error):\s*/i, '').trim()).filter((l) => l && !l.startsWith('at ') && !l.startsWith('- ') && !/XDG_RUNTIME_DIR/.test(l));
  const detail = lines.find((l) => /driver|vkCreateInstance|required|GLIBCXX|libvulkan|cannot open shared/i.test(l)) ?? lines[0] ?? (r.error ? r.error.message : `no adapter (exit ${r.status})`);
  return { adapter, detail };
}

let ready: AdapterInfo | null = null;

/**
 * Makes `navigator.gpu` available in this Node process (before '@tensorflow/tfjs-backend-webgpu' is
 * imported, which registers only when it exists). Uses the default Vulkan drivers when they give an
 * adapter; otherwise, with VK_DRIVER_FILES unset and Chromium's SwiftShader driver present, that one.
 * Throws one-line Errors: no package, no driver, no adapter.
 */
export async function setupNodeWebGPU(): Promise<AdapterInfo> {
  if (ready) return ready;
  const entry = webgpuEntry();
  if (!entry) throw new Error("the optional package 'webgpu' is not installed (npm install webgpu@0.6.2)");
  // SwiftShader's Wayland probe prints "error: XDG_RUNTIME_DIR is invalid or not set" otherwise.
  if (!process.env.XDG_RUNTIME_DIR) process.env.XDG_RUNTIME_DIR = tmpdir();
  let found = probe(entry, process.env);
  if (!found.adapter && !process.env.VK_DRIVER_FILES && existsSync(SWIFTSHADER_ICD)) {
    const swift = probe(entry, { ...process.env, VK_DRIVER_FILES: SWIFTSHADER_ICD });
    if (swift.adapter) process.env.VK_DRIVER_FILES = SWIFTSHADER_ICD;
    found = swift.adapter ? swift : found;
  }
  if (!found.adapter) {
    const driver = process.env.VK_DRIVER_FILES ? `VK_DRIVER_FILES=${process.env.VK_DRIVER_FILES}` : `default Vulkan drivers${existsSync(SWIFTSHADER_ICD) ? '' : `; no ${SWIFTSHADER_ICD} (apt-get install chromium)`}`;
    throw new Error(`no WebGPU adapter (${driver}): ${found.detail}`);
  }
  const { create, globals } = (await import(entry)) as typeof import('webgpu');
  Object.assign(globalThis, globals);
  // Node 20 has no navigator; Node 21+ has one without `gpu`.
  const nav = (globalThis as { navigator?: object }).navigator;
  const gpu = create(dawnFlags());
  if (nav) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  ready = found.adapter;
  return ready;
}
