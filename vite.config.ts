import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  // ES-module worker so it can import tfjs backends lazily (BROWSER.md gotcha 4).
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    // e2e/numerics.html: a test page for e2e/numerics.spec.ts (WebGPU vs wasm numerics), never linked;
    // e2e/reliability.html: the same for e2e/determinism.spec.ts (two identical runs on webgpu).
    rolldownOptions: { input: { main: 'index.html', numerics: 'e2e/numerics.html', reliability: 'e2e/reliability.html' } },
  },
  // No COOP/COEP headers: threaded wasm breaks after minification (BROWSER.md gotcha 3).
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
});
