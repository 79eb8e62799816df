// Browser and bundler entry of `shiming/sync` (the offline-first sync client: fetch, IndexedDB, WebCrypto; a wasm
// module of its own): instantiated by a top-level await.
//   import { SyncClient } from 'shiming/sync';
//   const client = await SyncClient.open({ baseUrl: '/api', onStatus });
import init from './sync/shiming_sync.js';

await init();

export * from './sync/shiming_sync.js';
