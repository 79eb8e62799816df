// webpack 5 with no configuration beyond the entry and the size hint's limit: production mode, the app of tests/bundlers/app (copied next to
// this file by the test), its page copied into dist/. Through webpack's Node API, so that no webpack-cli is needed.
import { copyFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import webpack from 'webpack';

const dist = fileURLToPath(new URL('./dist/', import.meta.url));
webpack({
  mode: 'production',
  context: fileURLToPath(new URL('.', import.meta.url)),
  entry: './main.js',
  output: { path: dist, filename: 'main.js', clean: true },
  // webpack's performance hint (244 KiB) counts raw bytes: the registration module's .wasm is 250 KiB raw (105 KiB
  // gzip on the wire, README "Bundlers and runtimes"). Every other warning still fails the test.
  performance: { maxAssetSize: 300 * 1024 },
}, (error, stats) => {
  if (error) throw error;
  const { errors, warnings } = stats.toJson({ all: false, errors: true, warnings: true });
  for (const problem of [...errors, ...warnings]) console.error(problem.message);
  if (stats.hasErrors()) process.exit(1);
  copyFileSync(new URL('./index.html', import.meta.url), new URL('./dist/index.html', import.meta.url));
  console.log(JSON.stringify({ warnings: warnings.length, assets: Object.keys(stats.compilation.assets) }));
});
