// Node entry of `shiming/sync`: instantiated synchronously at import (no top-level await), so that test runners
// (Vitest with happy-dom or jsdom), server-side rendering and `require('shiming/sync')` can load the module. The
// client itself needs what a browser gives it: fetch (Node has it), WebCrypto (Node has it) and IndexedDB (a test
// environment provides it, e.g. fake-indexeddb; without it, see the README).
//   import { SyncClient } from 'shiming/sync';
import { readFileSync } from 'node:fs';
import { initSync } from './sync/shiming_sync.js';

initSync({ module: readFileSync(new URL('./sync/shiming_sync_bg.wasm', import.meta.url)) });

export * from './sync/shiming_sync.js';
