// The README's worker pattern, without a bundler: the raw entry by its path, its init started at once, and a
// handler installed synchronously that waits for it, so that messages sent before the wasm is ready are answered.
import init, { isValidId } from './node_modules/shiming/web.js';

const ready = init();
self.onmessage = async ({ data }) => {
  await ready;
  self.postMessage({ id: data.id, ok: isValidId(data.input, { asOf: data.asOf }) });
};
