// Requests to the worker as promises: each gets a fresh `requestId`, and the worker's `reply` or `error`
// event carrying that id settles exactly that promise, whatever order the replies come in. When the worker
// dies, every open request is rejected (nothing waits forever). Pure: `post` is the only way out.
import { scopeOf, type ErrorScope, type Replies, type Request, type WorkerEvent } from '../worker/protocol';

/** A request the worker answered with an error (or could not answer). */
export class RequestError extends Error {
  name = 'RequestError';
  constructor(
    message: string,
    readonly scope: ErrorScope,
    readonly workerGone = false, // rejected because the worker died (the page says so once, not per request)
  ) {
    super(message);
  }
}

interface Pending {
  resolve: (v: never) => void;
  reject: (e: RequestError) => void;
}

export function createRequests(post: (cmd: Request & { requestId: number }) => void) {
  let next = 1;
  const pending = new Map<number, Pending>();
  return {
    request<R extends Request>(req: R): Promise<Replies[R['type']]> {
      const requestId = next++;
      return new Promise<Replies[R['type']]>((resolve, reject) => {
        pending.set(requestId, { resolve: resolve as (v: never) => void, reject });
        try {
          post({ ...req, requestId });
        } catch (e) {
          pending.delete(requestId);
          reject(new RequestError((e as Error).message, scopeOf(req.type)));
        }
      });
    },
    /** Settles the request an event answers; false for events that answer none. */
    settle(e: WorkerEvent): boolean {
      if (e.type !== 'reply' && !(e.type === 'error' && e.requestId !== undefined)) return false;
      const p = pending.get(e.requestId!);
      if (!p) return true; // an answer to a request already given up (the worker was restarted)
      pending.delete(e.requestId!);
      if (e.type === 'reply') p.resolve(e.result as never);
      else p.reject(new RequestError(e.message, e.scope));
      return true;
    },
    /** Rejects every open request (the worker that would answer them is gone). */
    rejectAll(message: string): void {
      const all = [...pending.values()];
      pending.clear();
      for (const p of all) p.reject(new RequestError(message, 'worker', true));
    },
    get open(): number {
      return pending.size;
    },
  };
}

export type Requests = ReturnType<typeof createRequests>;
