import type { WarrantyTab } from "../../services/warranty/warranty-tabs";

export const WARRANTY_TAB_LABELS: Record<WarrantyTab, string> = {
  open: "To confirm",
  repair_approved: "Covered repairs",
  repair_quoted: "Paid repairs quoted",
  declined: "Declined",
};

export const warrantyPath = (id: string) => `/app/warranty/${encodeURIComponent(id)}`;
