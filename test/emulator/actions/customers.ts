import type { EmulatedStore, Node } from "../store";

export interface CustomerSpec {
  firstName: string;
  lastName: string;
  email: string;
  /** Has activated a customer account (the return portal requires one). */
  hasAccount?: boolean;
  tags?: string[];
}

export function addCustomer(store: EmulatedStore, spec: CustomerSpec): Node {
  const now = store.now().toISOString();
  const customer = store.register({
    __typename: "Customer",
    id: store.gid("Customer"),
    firstName: spec.firstName,
    lastName: spec.lastName,
    displayName: `${spec.firstName} ${spec.lastName}`,
    defaultEmailAddress: { emailAddress: spec.email, marketingState: "NOT_SUBSCRIBED" },
    email: spec.email,
    state: spec.hasAccount === false ? "DISABLED" : "ENABLED",
    verifiedEmail: true,
    tags: spec.tags ?? [],
    note: null,
    createdAt: now,
    updatedAt: now,
    orders: [] as Node[],
    metafields: [] as Node[],
  });
  store.customers.push(customer);
  return customer;
}
