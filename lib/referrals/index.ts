// The referral graph: accounts (ids are referral codes), apply-once referrers, ancestors, cycle check.
export {
  accountView,
  createAccount,
  getAccountView,
  InvalidWalletAddress,
  type AccountView,
  type NewAccount,
} from "./accounts";
export { applyReferral, type AppliedReferral } from "./apply";
export {
  AccountConflict,
  AlreadyReferred,
  KindMismatch,
  ReferralCycle,
  SelfReferral,
  UnknownReferralCode,
} from "./errors";
export { newAccountId } from "./ids";
