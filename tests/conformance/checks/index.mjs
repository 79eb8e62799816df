// Every check, in the order the suite runs them. A check is `{ area, name, addition?, run(t) }` (`addition`: one of
// the protocol's additions of issue 13: account tokens, per-account access, withdrawal ownership, tombstones, the Host
// allow-list, personal-number-shaped keys and ids, the request timeout).

import policy from './policy.mjs';
import postRules from './post-rules.mjs';
import consents from './consents.mjs';
import registrations from './registrations.mjs';
import gates from './gates.mjs';
import guardian from './guardian.mjs';
import uniqueness from './uniqueness.mjs';
import idempotency from './idempotency.mjs';
import access from './access.mjs';
import withdrawal from './withdrawal.mjs';
import tombstone from './tombstone.mjs';
import host from './host.mjs';
import bounded from './bounded.mjs';
import privacy from './privacy.mjs';

export const ALL_CHECKS = [
  ...policy,
  ...postRules,
  ...consents,
  ...registrations,
  ...gates,
  ...guardian,
  ...uniqueness,
  ...idempotency,
  ...access,
  ...withdrawal,
  ...tombstone,
  ...host,
  ...bounded,
  // Last: it sums up what every answer of the run held.
  ...privacy,
];
