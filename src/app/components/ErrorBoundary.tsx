// A render error in one panel shows a readable message there instead of a blank page.
import { Component, type ReactNode } from 'react';

export class ErrorBoundary extends Component<{ name: string; children: ReactNode }, { error: Error | null }> {
  state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="message message-error" role="alert" data-testid="error">
        <span>The {this.props.name} panel failed to draw: {this.state.error.message}</span>
        <button onClick={() => this.setState({ error: null })}>retry</button>
      </div>
    );
  }
}
