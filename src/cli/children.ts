// Child processes for the CLIs that run many trainings (experiment, ablate): each child runs a
// TypeScript CLI the way this process runs (process.execArgv carries tsx's loader), and every child dies
// with this process, so an interrupted experiment or grid leaves no training behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { fail } from './args';

const live = new Set<ChildProcess>();
let hooked = false;

function killChildrenOnExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => live.forEach((c) => c.kill()));
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => fail('interrupted'));
}

/** Runs `node [tsx loader] <args>`; resolves with its trimmed stdout, rejects naming `label` and its last stderr line. */
export function runTsx(args: string[], label: string): Promise<string> {
  killChildrenOnExit();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (err += d));
    child.on('close', (code) => {
      live.delete(child);
      if (code === 0) resolve(out.trim());
      else reject(new Error(`${label} failed (exit ${code}): ${err.trim().split('\n').pop()}`));
    });
  });
}

/** Runs `run` over `items`, at most `jobs` at a time, in order of the list. */
export async function pool<T>(items: T[], jobs: number, run: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) await run(next);
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, worker));
}
