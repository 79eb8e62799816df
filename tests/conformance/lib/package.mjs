// The shiming package the suite uses for made-up test data (generateTestId, identityKey) and the masks the protocol
// prescribes (maskName, maskId, maskPhone). Found, in this order:
//   SHIMING_PKG (a directory holding node.js),
//   ../node.js          the suite shipped inside the npm package (pkg/conformance/ → pkg/node.js),
//   ../../pkg/node.js   the suite in the repository (tests/conformance/ → <repo>/pkg/node.js).

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const suiteDir = fileURLToPath(new URL('..', import.meta.url));

export function packageEntry() {
  const candidates = [
    ...(process.env.SHIMING_PKG ? [join(resolve(process.env.SHIMING_PKG), 'node.js')] : []),
    join(suiteDir, '..', 'node.js'),
    join(suiteDir, '..', '..', 'pkg', 'node.js'),
  ];
  const found = candidates.find((file) => existsSync(file));
  if (!found) {
    throw new Error(
      `the shiming package was not found (looked for ${candidates.join(', ')}): run the suite from the npm package ` +
        '(npx shiming-conformance), build it in the repository (bash scripts/build.sh), or set SHIMING_PKG',
    );
  }
  return found;
}

let loaded;
/** Imports the package's Node entry once. */
export function loadPackage() {
  loaded ??= import(pathToFileURL(packageEntry()).href).then((shiming) => {
    for (const name of ['generateTestId', 'identityKey', 'maskName', 'maskId', 'maskPhone']) {
      if (typeof shiming[name] !== 'function') {
        throw new Error(`${packageEntry()} has no ${name} export: this build of the package is too old for the suite`);
      }
    }
    return shiming;
  });
  return loaded;
}
