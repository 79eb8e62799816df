// Vite 6, configured as the README says ("Bundlers and runtimes"): its default build target (es2020, Chrome 87,
// Safari 14) has no top-level await, which the default entries (and this app) use; and the dev server must not
// pre-bundle the package, or the .wasm next to its glue is not found.
import { defineConfig } from 'vite';
import { pages } from './pages.js';

export default defineConfig({
  build: { target: 'es2022', rollupOptions: { input: pages } },
  optimizeDeps: { exclude: ['shiming'] },
});
