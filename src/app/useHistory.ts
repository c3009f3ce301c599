// Charts and the inspector read step history through this hook: a throttled external store, so
// per-step data re-renders only the components that show it (each subscriber in its own task).
import { useSyncExternalStore } from 'react';
import { historyStore } from './store/history';

export function useHistory() {
  return useSyncExternalStore(historyStore.subscribe, historyStore.getSnapshot);
}
