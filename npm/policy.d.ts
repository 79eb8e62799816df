// The module is already initialised when this entry's import resolves.
export {
  evaluatePolicy, setMinorPolicy, minorPolicy, minorPolicyPreset, checkGuardianLimits, resolveLocale, configure,
} from './policy/shiming_policy.js';
export { loadLocale } from './messages.js';
export type { MinorPolicy, PolicyActivity, PolicyEvaluation, GuardianLimits, GuardianLimitsCheck } from './policy/shiming_policy.js';
