/**
 * After a payout wallet is replaced, claims wait WALLET_CHANGE_HOLD_HOURS (48 by default): if someone other than
 * the owner replaced it (a stolen session, a phished signature), the owner has that long to notice and the
 * operator to step in before anything is paid to the new wallet. The first link of a wallet starts no hold.
 */
import { DomainError } from "@/lib/errors";

export const DEFAULT_WALLET_CHANGE_HOLD_HOURS = 48;

export function walletChangeHoldHours(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const raw = env.WALLET_CHANGE_HOLD_HOURS?.trim();
  if (!raw) return DEFAULT_WALLET_CHANGE_HOLD_HOURS;
  const hours = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || !Number.isFinite(hours)) {
    throw new Error(`WALLET_CHANGE_HOLD_HOURS must be a number of hours (0 or more), got "${raw}"`);
  }
  return hours;
}

/** When claims may resume after the wallet change at `changedAt`; null when no hold applies at `now`. */
export function walletHoldUntil(changedAt: Date | null, now: Date, hours = walletChangeHoldHours()): Date | null {
  if (!changedAt) return null;
  const until = new Date(changedAt.getTime() + hours * 3600_000);
  return now < until ? until : null;
}

export class WalletRecentlyChanged extends DomainError {
  constructor(until: Date) {
    super(
      "wallet_recently_changed",
      "Wallet recently changed",
      `The payout wallet was replaced recently; claims resume at ${until.toISOString()}`,
      { fields: { walletHoldUntil: until.toISOString() } },
    );
  }
}
