// Node entry of `shiming/policy` (the minor-protection policy runtime): instantiated synchronously at import.
//   import { evaluatePolicy } from 'shiming/policy';
import { readFileSync } from 'node:fs';
import { initSync } from './policy/shiming_policy.js';

initSync({ module: readFileSync(new URL('./policy/shiming_policy_bg.wasm', import.meta.url)) });

export { evaluatePolicy, setMinorPolicy, minorPolicy, minorPolicyPreset, checkGuardianLimits } from './policy/shiming_policy.js';
