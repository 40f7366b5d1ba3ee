import type { Metadata } from "next";
import Link from "next/link";
import { DeliveryLog } from "@/components/admin/DeliveryLog";
import { WebhookCreateForm } from "@/components/admin/WebhookCreateForm";
import { WebhookDeleteButton } from "@/components/admin/WebhookDeleteButton";
import { Card } from "@/components/ui/Card";
import { formatDateTime } from "@/components/ui/format";
import { buttonSecondary, mutedText } from "@/components/ui/styles";
import { getPrisma } from "@/lib/db/client";
import { listDeliveries, listWebhookEndpoints } from "@/lib/webhooks/endpoints";
import { currentOperator } from "../session";

export const metadata: Metadata = { title: "Webhooks" };
export const dynamic = "force-dynamic";

/** How many of each endpoint's latest deliveries the page shows (the API pages through more). */
const SHOWN = 20;

export default async function WebhooksPage() {
  // The layout shows the sign-in form instead of this page when no operator is signed in.
  if (!(await currentOperator())) return null;
  const db = getPrisma();
  const { webhooks } = await listWebhookEndpoints(db);
  const logs = await Promise.all(webhooks.map((w) => listDeliveries(db, w.id, { limit: SHOWN })));
  return (
    <>
      <header className="flex flex-wrap items-end justify-between gap-3">
        <div className="flex flex-col gap-1">
          <h1 className="text-2xl font-semibold tracking-tight">Webhooks</h1>
          <p className={`text-sm ${mutedText}`}>
            Signed HTTP posts to your systems when accounts, referrals, fees and claims change. Payloads and how to
            verify them: docs/webhooks.md.
          </p>
        </div>
        <Link href="/admin/webhooks" className={buttonSecondary}>
          Refresh
        </Link>
      </header>
      <Card id="add-webhook-heading" title="Add an endpoint">
        <WebhookCreateForm />
      </Card>
      <section aria-labelledby="endpoints-heading" className="flex flex-col gap-4">
        <h2 id="endpoints-heading" className="text-lg font-semibold tracking-tight">
          Endpoints
        </h2>
        {webhooks.length === 0 ? (
          <p className={`text-sm ${mutedText}`}>None yet.</p>
        ) : (
          webhooks.map((webhook, i) => (
            <Card
              key={webhook.id}
              id={`endpoint-${webhook.id}`}
              level={3}
              title={webhook.url}
              description={
                <>
                  {webhook.description ? <>{webhook.description} · </> : null}
                  {webhook.events.includes("*") ? "Every event type" : webhook.events.join(", ")} · added{" "}
                  {formatDateTime(webhook.createdAt, false)}
                </>
              }
              actions={<WebhookDeleteButton id={webhook.id} url={webhook.url} />}
              className="[overflow-wrap:anywhere]"
            >
              <div data-testid="webhook-endpoint" data-url={webhook.url}>
                <DeliveryLog endpointId={webhook.id} url={webhook.url} rows={logs[i]!.deliveries} />
              </div>
            </Card>
          ))
        )}
      </section>
    </>
  );
}
