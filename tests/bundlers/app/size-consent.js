// One entry per page, used once, to measure what a page that imports it downloads (tests/js/bundlers.test.mjs).
import { documentDigest } from 'shiming/consent';

document.body.dataset.result = String(documentDigest('协议').length > 0);
document.body.dataset.ready = 'true';
