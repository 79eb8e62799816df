// Vite 7, configured as the README says ("Bundlers and runtimes"): the dev server must not pre-bundle the package,
// or the .wasm next to its glue is not found. The build needs nothing.
import { defineConfig } from 'vite';
import { pages } from './pages.js';

export default defineConfig({
  build: { rollupOptions: { input: pages } },
  optimizeDeps: { exclude: ['shiming'] },
});
