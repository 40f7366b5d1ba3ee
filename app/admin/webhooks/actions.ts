"use server";

import { revalidatePath } from "next/cache";
import { consoleActor } from "@/lib/audit/log";
import { getPrisma } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import { createWebhookEndpoint, deleteWebhookEndpoint, redeliver } from "@/lib/webhooks/endpoints";
import { CreateWebhookBody } from "@/lib/webhooks/schemas";
import { currentOperator } from "../session";

export interface WebhookActionState {
  ok?: boolean;
  message?: string;
  /** The new endpoint's signing secret: in this answer only, never again. */
  secret?: string;
}

const SIGNED_OUT = { message: "Your operator session has ended. Sign in again." };

function refusal(error: unknown): WebhookActionState {
  if (error instanceof DomainError) return { message: error.error === error.message ? error.error : error.message };
  throw error;
}

/** Registers an endpoint (audited as the console's operator) and hands its secret back once. */
export async function createWebhook(_state: WebhookActionState, form: FormData): Promise<WebhookActionState> {
  const operator = await currentOperator();
  if (!operator) return SIGNED_OUT;
  const events = form.getAll("events").map(String);
  const description = String(form.get("description") ?? "").trim();
  const parsed = CreateWebhookBody.safeParse({
    url: String(form.get("url") ?? "").trim(),
    events: events.includes("*") ? ["*"] : events,
    ...(description ? { description } : {}),
  });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join(".") || "form"}: ${issue.message}`);
    return { message: `Not added. ${issues.join("; ")}.` };
  }
  try {
    const created = await createWebhookEndpoint(getPrisma(), parsed.data, consoleActor(operator));
    revalidatePath("/admin/webhooks");
    return { ok: true, message: `Added ${created.url}.`, secret: created.secret };
  } catch (error) {
    return refusal(error);
  }
}

export async function deleteWebhook(_state: WebhookActionState, form: FormData): Promise<WebhookActionState> {
  const operator = await currentOperator();
  if (!operator) return SIGNED_OUT;
  try {
    await deleteWebhookEndpoint(getPrisma(), String(form.get("id") ?? ""), consoleActor(operator));
    revalidatePath("/admin/webhooks");
    return { ok: true, message: "Endpoint deleted." };
  } catch (error) {
    return refusal(error);
  }
}

export async function redeliverEvent(_state: WebhookActionState, form: FormData): Promise<WebhookActionState> {
  const operator = await currentOperator();
  if (!operator) return SIGNED_OUT;
  const eventId = String(form.get("eventId") ?? "");
  try {
    await redeliver(getPrisma(), String(form.get("endpointId") ?? ""), eventId, consoleActor(operator));
    revalidatePath("/admin/webhooks");
    return { ok: true, message: `${eventId} will be sent again within a few seconds.` };
  } catch (error) {
    return refusal(error);
  }
}
