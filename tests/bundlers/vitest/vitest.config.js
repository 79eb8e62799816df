// Vitest with happy-dom and no other configuration: the package resolves to its Node entries (the `node` condition),
// which instantiate their wasm synchronously.
import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { environment: 'happy-dom' } });
