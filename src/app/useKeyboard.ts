// Keyboard shortcuts: space = play/pause, → = one step, r = reset. Ignored while typing, and while the
// guided tour is open (its own keys: ← → Esc).
import { useEffect } from 'react';
import { reset, stepOnce, togglePlay } from './store/actions';

export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || el.isContentEditable;
}

export function useKeyboard(enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target) || document.body.classList.contains('driver-active')) return;
      if (e.key === ' ') togglePlay();
      else if (e.key === 'ArrowRight') stepOnce();
      else if (e.key === 'r' || e.key === 'R') reset();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
