// One entry per page, used once, to measure what a page that imports it downloads (tests/js/bundlers.test.mjs).
import { isValidId } from 'shiming';

document.body.dataset.result = String(isValidId('11010519491231002X'));
document.body.dataset.ready = 'true';
