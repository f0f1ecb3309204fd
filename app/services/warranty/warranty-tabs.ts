/** The Warranty page's tabs: a claim's states, open ones first (shared by the page and its loader). */
export const WARRANTY_TABS = ["open", "repair_approved", "repair_quoted", "declined"] as const;
export type WarrantyTab = (typeof WARRANTY_TABS)[number];

export const warrantyTab = (value: string | null): WarrantyTab =>
  (WARRANTY_TABS as readonly string[]).includes(value ?? "") ? (value as WarrantyTab) : "open";
