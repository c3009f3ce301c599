// What the guided tour remembers in localStorage: how far it got, and whether it was finished or closed.
export const TOUR_KEY = 'repo-playground:tour';

export interface TourProgress {
  /** active: open (or the page closed while it was); dismissed: closed before the end; done: seen to the end. */
  state: 'active' | 'dismissed' | 'done';
  step: number;
}

export function readProgress(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): TourProgress | null {
  try {
    const v = JSON.parse(storage?.getItem(TOUR_KEY) ?? 'null') as Partial<TourProgress> | null;
    if (!v || !['active', 'dismissed', 'done'].includes(v.state as string)) return null;
    return { state: v.state!, step: Number.isInteger(v.step) && v.step! >= 0 ? v.step! : 0 };
  } catch {
    return null;
  }
}

export function saveProgress(p: TourProgress, storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(TOUR_KEY, JSON.stringify(p));
  } catch {
    // private mode or storage full: the tour still works, it just will not remember
  }
}

/** First visit (nothing stored) or a tour left open when the page closed: open by itself. */
export function shouldAutoOpen(p: TourProgress | null): boolean {
  return p === null || p.state === 'active';
}
