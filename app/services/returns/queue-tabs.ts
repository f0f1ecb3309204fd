import type { ReturnStatus } from "./portal-types";

/** The Returns page's tabs: one per state, in the order a return lives through them, then all. */
export const QUEUE_TABS = [
  { id: "requested", label: "Requested" },
  { id: "approved", label: "Approved" },
  { id: "in_transit", label: "In transit" },
  { id: "received", label: "Received" },
  { id: "inspected", label: "Inspected" },
  { id: "refunded", label: "Refunded" },
  { id: "closed", label: "Closed" },
  { id: "declined", label: "Declined" },
  { id: "cancelled", label: "Cancelled" },
  { id: "label_voided", label: "Label voided" },
  { id: "rejected", label: "Rejected" },
  { id: "lost", label: "Lost" },
  { id: "all", label: "All" },
] as const satisfies ReadonlyArray<{ id: ReturnStatus | "all"; label: string }>;

export type QueueTab = (typeof QUEUE_TABS)[number]["id"];

export function parseTab(value: string | null): QueueTab {
  return (QUEUE_TABS.find((t) => t.id === value)?.id ?? "requested") as QueueTab;
}
