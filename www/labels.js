// The labels of document kinds and age bands, per locale, from the package (kindLabel, bandLabel: the crate's locale
// files), as lookup tables for the pages' string tables. Browser pages only (the package is served at ./pkg/).
import { bandLabel, kindLabel } from './pkg/messages.js';
import { AGE_BANDS, ALL_KINDS } from './kinds.js';

/**
 * Every kind's label in `locale`, from the package (`kindLabel`: the crate's locale files), as a lookup table for the
 * pages' string tables. A page words a few of them its own way over these.
 */
export function kindLabels(locale) {
  return Object.fromEntries(ALL_KINDS.map((kind) => [kind, kindLabel(kind, { locale })]));
}

/** Every age band's label in `locale`, from the package (`bandLabel`), youngest first. */
export function bandLabels(locale) {
  return Object.fromEntries(AGE_BANDS.map((band) => [band, bandLabel(band, { locale })]));
}
