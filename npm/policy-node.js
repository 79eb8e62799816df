// Node entry of `shiming/policy` (the minor-protection policy runtime): instantiated synchronously at import, the
// Traditional Chinese tables installed.
//   import { evaluatePolicy } from 'shiming/policy';
import { readFileSync } from 'node:fs';
import { initSync } from './policy/shiming_policy.js';
import * as wasm from './policy/shiming_policy.js';
import { installLocales, registerModule } from './messages.js';
import locales from './locales-node.js';

initSync({ module: readFileSync(new URL('./policy/shiming_policy_bg.wasm', import.meta.url)) });
registerModule(wasm, 'locale messages');
installLocales(locales);

export {
  evaluatePolicy, setMinorPolicy, minorPolicy, minorPolicyPreset, checkGuardianLimits, resolveLocale,
} from './policy/shiming_policy.js';
export { configure, loadLocale } from './messages.js';
