// Messages of the codes a backend of the protocol answers with (sync_*, consent_*), from the module's own i18n:
// shiming/all's issueMessage renders them, and the field codes' too.
import { issueMessage } from './pkg/all.js';

/** The message of `code` with `params` in `locale`, or undefined for a code the module does not render. */
export function syncMessage(code, params, locale) {
  const message = issueMessage({ code, params: params ?? {} }, { locale });
  return message === code ? undefined : message;
}
