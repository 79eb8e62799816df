// The agreement documents the backend publishes and verifies receipts against (wire protocol v1, GET /policy).
//
// `documents/manifest.json` lists every version ever published; each text is a file, byte for byte. A document is
// `{ id, version, kind, title, locale, text, digest }` with `digest` the lowercase hex SHA-256 of the UTF-8 text
// (the same as the Rust core's `Document::new` and the consent module's `makeDocument`). Retired versions stay
// listed (`"retired": true`): receipts for them still verify, but they no longer cover a new registration, and
// `GET /policy` publishes the current version of each kind only.

import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DOCUMENT_KINDS = ['service_agreement', 'privacy_policy', 'sensitive_pi', 'children_privacy_rules', 'guardian_consent'];

/** Required for everyone, then also under 14 (PIPL Art. 14, 29, 31; the Rust core's `required_documents`). */
const EVERYONE = ['service_agreement', 'privacy_policy', 'sensitive_pi'];
export const AGE_BANDS = ['under_3', '3_to_8', '8_to_12', '12_to_14', '14_to_16', '16_to_18', 'adult'];
export const UNDER_14_BANDS = new Set(['under_3', '3_to_8', '8_to_12', '12_to_14']);
/** Not an age band: an organisation's registration (`uscc`), which has no holder's age. */
export const ORGANISATION = 'organisation';

/**
 * The document kinds a registration must have accepted: by the holder's age band, or `ORGANISATION`. Anything else
 * (an age that is not known) throws: there is no default, so that an unknown age is never read as an adult's.
 */
export function requiredKinds(band) {
  if (band === ORGANISATION) return [...EVERYONE];
  if (!AGE_BANDS.includes(band)) {
    throw new TypeError(`requiredKinds: ${JSON.stringify(band)} is no age band (the consents of an unknown age cannot be chosen)`);
  }
  return UNDER_14_BANDS.has(band) ? [...DOCUMENT_KINDS] : [...EVERYONE];
}

export const defaultDocumentsDir = fileURLToPath(new URL('./documents/', import.meta.url));

export function digestOf(text) {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Loads the manifest and the texts.
 * @param {string} dir
 * @param {((doc: object) => object) | null} makeDocument  the consent module's, when available: each document is built
 *   by it too and its digest must agree with ours
 * @returns {Promise<{ all: object[], current: object[], currentByKind: Map<string, object> }>}
 */
export async function loadDocuments(dir = defaultDocumentsDir, makeDocument = null) {
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
  const all = [];
  const currentByKind = new Map();
  const seen = new Set();
  for (const entry of manifest.documents) {
    const { id, version, kind, title, locale, file } = entry;
    if (!DOCUMENT_KINDS.includes(kind)) throw new Error(`documents: unknown kind ${JSON.stringify(kind)} for ${id}`);
    if (seen.has(`${id}@${version}`)) throw new Error(`documents: ${id} version ${version} is listed twice`);
    seen.add(`${id}@${version}`);
    const text = await readFile(join(dir, file), 'utf8');
    let document = { id, version, kind, title, locale, text, digest: digestOf(text) };
    if (makeDocument) {
      const made = makeDocument({ id, version, kind, title, locale, text });
      if (made.digest !== document.digest) {
        throw new Error(`documents: ${id} ${version}: the consent module's digest differs from node:crypto's`);
      }
      document = made;
    }
    all.push(Object.freeze(document));
    if (!entry.retired) {
      if (currentByKind.has(kind)) throw new Error(`documents: two current documents of kind ${kind}`);
      currentByKind.set(kind, document);
    }
  }
  for (const kind of DOCUMENT_KINDS) {
    if (!currentByKind.has(kind)) throw new Error(`documents: no current document of kind ${kind}`);
  }
  const current = DOCUMENT_KINDS.map((kind) => currentByKind.get(kind));
  return { all, current, currentByKind };
}
