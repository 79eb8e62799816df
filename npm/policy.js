// Browser and bundler entry of `shiming/policy` (the minor-protection policy runtime, a wasm module of its own so that
// registration pages never download it): instantiated by a top-level await.
//   import { evaluatePolicy } from 'shiming/policy';
import init from './policy/shiming_policy.js';
import * as wasm from './policy/shiming_policy.js';
import { registerModule } from './messages.js';

await init();
registerModule(wasm, 'locale messages');

export {
  evaluatePolicy, setMinorPolicy, minorPolicy, minorPolicyPreset, checkGuardianLimits, resolveLocale,
} from './policy/shiming_policy.js';
// The page's one configuration and the Traditional Chinese tables, shared with every other module of the package.
export { configure, loadLocale } from './messages.js';
