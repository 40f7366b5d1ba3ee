/**
 * Why a referral code is refused. Each `error` text is distinct so a dashboard can say it in words:
 * already referred / your own code / would make a loop / kind mismatch / unknown code.
 */
import { DomainError } from "@/lib/errors";

export class AlreadyReferred extends DomainError {
  constructor() {
    super(
      "already_referred",
      "Already referred",
      "This account already has a referrer; a referral relationship is permanent",
    );
  }
}

export class SelfReferral extends DomainError {
  constructor() {
    super("self_referral", "Cannot use your own referral code", "An account cannot refer itself");
  }
}

export class ReferralCycle extends DomainError {
  constructor(code: string) {
    super(
      "referral_cycle",
      "Referral would create a loop",
      `${code} is in this account's own referral network, so it cannot become its referrer`,
    );
  }
}

export class KindMismatch extends DomainError {
  constructor() {
    super(
      "referral_kind_mismatch",
      "Referral kind mismatch",
      "Users can only be referred by users, and providers by providers",
    );
  }
}

export class UnknownReferralCode extends DomainError {
  constructor(code: string) {
    super("referral_code_not_found", "Referral code not found", `No account has the referral code ${code}`);
  }
}

export class AccountConflict extends DomainError {
  constructor(message: string) {
    super("account_conflict", "Account conflict", message);
  }
}
