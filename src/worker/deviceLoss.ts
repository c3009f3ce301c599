// A lost WebGPU device (driver reset, GPU unplugged, the browser reclaiming it, or `destroy()`) ends every
// tensor on it. tfjs does not notice; the device's `lost` promise does. The host restores its runs from
// the last snapshot on a CPU backend (a GPU that just went away may well go again; wasm cannot).
import { webgpuDevice } from '../core/backend';
import type { BackendName } from '../core/backendNames';

/** Where runs go on after a lost device, in order of preference. */
export const AFTER_DEVICE_LOSS: BackendName[] = ['wasm', 'cpu'];

interface LostInfo {
  reason?: string; // 'destroyed' or 'unknown'
  message?: string;
}
interface LosableDevice {
  lost?: Promise<LostInfo>;
  destroy?: () => void;
}

const watched = new WeakSet<object>();

/** One line for the page: the reason and the browser's first line, e.g. "destroyed: Device was destroyed.". */
export function describeLoss(info: LostInfo): string {
  const first = String(info.message ?? '').split('\n').map((l) => l.trim()).find(Boolean);
  return [info.reason || 'unknown', first].filter(Boolean).join(': ');
}

/** Calls `onLost` once when the current backend's WebGPU device is lost; false when not on WebGPU. */
export function watchDeviceLoss(onLost: (reason: string) => void): boolean {
  const device = webgpuDevice() as LosableDevice | null;
  if (!device?.lost) return false;
  if (!watched.has(device)) {
    watched.add(device);
    void device.lost.then((info) => onLost(describeLoss(info)));
  }
  return true;
}

/** Test-only (the e2e `debug` signal): destroys the current WebGPU device as a driver reset would. */
export function loseDevice(): boolean {
  const device = webgpuDevice() as LosableDevice | null;
  if (!device?.destroy) return false;
  device.destroy();
  return true;
}
