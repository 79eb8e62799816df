// One entry per page, used once, to measure what a page that imports it downloads (tests/js/bundlers.test.mjs).
import { SyncClient } from 'shiming/sync';

document.body.dataset.result = String(typeof SyncClient.open === 'function');
document.body.dataset.ready = 'true';
