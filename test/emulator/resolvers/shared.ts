import { GraphQLError } from "graphql";
import type { EmulatorContext } from "../graphql/execute";
import type { EmulatedStore, Node } from "../store";

export interface StoreContext extends EmulatorContext {
  store: EmulatedStore;
  /** The app behind the access token: its functions and API client id. */
  app: AppRegistration;
}

export interface AppFunction {
  id: string;
  handle: string;
  apiType: "cart_checkout_validation" | "discount" | "delivery_customization";
  title: string;
}

export interface AppRegistration {
  apiKey: string;
  title: string;
  functions: AppFunction[];
}

export const storeOf = (context: StoreContext) => context.store;

export function nodeOfType(store: EmulatedStore, id: string, type: string): Node | null {
  const node = store.node(id);
  return node && node.__typename === type ? node : null;
}

export function notFound(what: string): never {
  throw new GraphQLError(`${what} not found`, { extensions: { code: "NOT_FOUND" } });
}

/** `first`/`last` on plain list fields (Order.transactions(first:), Fulfillment.trackingInfo(first:)). */
export function limited<T>(items: readonly T[], args: { first?: number | null }): T[] {
  return args.first == null ? [...items] : items.slice(0, args.first);
}
