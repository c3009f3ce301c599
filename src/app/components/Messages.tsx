// Notices (URL fixes, saves) and errors (worker, backend, checkpoint, NaN skips), one banner each.
import { dismissMessage, useApp } from '../store/store';

export function Messages() {
  const messages = useApp((s) => s.messages);
  if (messages.length === 0) return null;
  return (
    <div className="messages" aria-live="polite">
      {messages.map((m) => (
        <div key={m.id} className={`message message-${m.kind}`} role={m.kind === 'error' ? 'alert' : 'status'} data-testid={m.kind}>
          <span>{m.text}</span>
          <button onClick={() => dismissMessage(m.id)} aria-label="dismiss">×</button>
        </div>
      ))}
    </div>
  );
}
