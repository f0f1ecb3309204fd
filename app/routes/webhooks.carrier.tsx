import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveCarrierWebhook } from "../services/labels/receive-carrier-webhook.server";

const answer = ({ status, message }: { status: number; message: string }) =>
  new Response(message, {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8", ...(status === 405 ? { Allow: "POST" } : {}) },
  });

// The carrier's tracking webhooks (EasyPost tracker.updated): signature verified over the raw body, then stored.
export const action = async ({ request }: ActionFunctionArgs) => answer(await receiveCarrierWebhook(request));

export const loader = () => answer({ status: 405, message: "Method Not Allowed: carrier webhooks are POSTed" });
