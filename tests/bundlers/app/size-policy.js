// One entry per page, used once, to measure what a page that imports it downloads (tests/js/bundlers.test.mjs).
import { minorPolicy } from 'shiming/policy';

document.body.dataset.result = String(typeof minorPolicy() === 'object');
document.body.dataset.ready = 'true';
