// The README's worker pattern: the raw entry (no top-level await), its init started at once, and a handler installed
// synchronously that waits for it. Messages that arrive before the wasm is ready are answered when it is.
import init, { isValidId } from 'shiming/web';

const ready = init();
self.onmessage = async ({ data }) => {
  await ready;
  self.postMessage({ id: data.id, ok: isValidId(data.input, { asOf: data.asOf }) });
};
