// The app's pages, for a multi-page Vite build: the app itself, and one page per package entry (what a page that
// imports only that entry downloads; measured from the Vite 8 build by tests/js/bundlers.test.mjs).
import { fileURLToPath } from 'node:url';

export const pages = Object.fromEntries(['index', 'size-shiming', 'size-policy', 'size-consent', 'size-sync', 'size-all']
  .map((name) => [name, fileURLToPath(new URL(`./${name}.html`, import.meta.url))]));
