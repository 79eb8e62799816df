// Browser and bundler entry of `shiming/policy` (the minor-protection policy runtime, a wasm module of its own so that
// registration pages never download it): instantiated by a top-level await.
//   import { evaluatePolicy } from 'shiming/policy';
import init from './policy/shiming_policy.js';

await init();

export { evaluatePolicy, setMinorPolicy, minorPolicy, minorPolicyPreset, checkGuardianLimits } from './policy/shiming_policy.js';
