// Every route module, imported so that its route() registers in the OpenAPI document.
// app/api/openapi.json/routes.test.ts fails when a route.ts under app/api is missing here.
import "../health/route";
import "../auth/token/route";
import "../auth/siwe/nonce/route";
import "../user/me/wallet/route";
import "../accounts/[id]/wallet/route";
import "../accounts/route";
import "../user/me/route";
import "../referrals/apply/route";
import "../events/usage/route";
import "../events/compute/route";
import "../user/[userId]/referral-stats/route";
import "../providers/[providerId]/referral-stats/route";
import "../events/transactions/route";
import "../referral-fees/balance/route";
import "../referral-fees/entries/route";
import "../referral-fees/claim/route";
import "../referral-fees/claims/route";
import "../fx/rates/route";
import "../referrals/network/route";
import "../audit-log/route";
import "../metrics/route";
import "../live/route";
import "../exports/ledger.csv/route";
import "../exports/fee-entries.csv/route";
import "../exports/claims.csv/route";
