/** What GET /api/admin/orders/:id answers (app/services/orders/order-policy-view.server.ts), as the block reads it. */
export interface OrderPolicyView {
  order: { id: string; name: string; state: string | null };
  timeline: Array<{ kind: string; label: string; atText: string }>;
  deadlines: Array<{ key: string; rule: string; label: string; atText: string; overdue: boolean; projected: boolean }>;
  alerts: Array<{ kind: string; rule: string; label: string; sinceText: string }>;
  lines: Array<{
    id: string;
    title: string;
    returnable: boolean;
    verdicts: Array<{ rule: string; code: string; message: string }>;
    windowEndsText: string | null;
  }>;
  cancellation: { allowed: boolean; rule: string; message: string; windowEndsText: string };
}

export type Load =
  | { state: "loading" }
  | { state: "error"; message: string }
  | { state: "pending" }
  | { state: "ready"; view: OrderPolicyView };

/** The app's backend, reached by a relative URL: Shopify's admin resolves it against the app's URL and adds the ID token. */
export async function loadView(orderGid: string): Promise<Load> {
  const id = orderGid.split("/").pop() ?? "";
  try {
    const response = await fetch(`/api/admin/orders/${encodeURIComponent(id)}`);
    const body = (await response.json().catch(() => ({}))) as {
      status?: string;
      view?: OrderPolicyView;
      error?: string;
    };
    if (!response.ok) return { state: "error", message: body.error ?? `HTTP ${response.status}` };
    if (body.status === "ready" && body.view) return { state: "ready", view: body.view };
    if (body.status === "pending") return { state: "pending" };
    return { state: "error", message: "Unexpected answer from the app" };
  } catch (error) {
    return { state: "error", message: (error as Error).message };
  }
}
