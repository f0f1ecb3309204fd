import type { ActionFunctionArgs } from "@remix-run/node";
import { ingestWebhook } from "../services/inbox/webhook-inbox.server";

// Every subscribed topic, compliance topics included: verify, store, acknowledge.
export const action = ({ request }: ActionFunctionArgs) => ingestWebhook(request);

export const loader = () =>
  new Response("Method Not Allowed: webhooks are POSTed", { status: 405, headers: { Allow: "POST" } });
