import type { ResolverMap } from "../graphql/execute";
import { cents, moneyV2 } from "../money";
import type { EmulatedStore, Node } from "../store";
import { nodeOfType, type StoreContext } from "./shared";

type Args = Record<string, any>;
const userError = (field: string[], message: string) => ({ field, message });

function methodDefinition(store: EmulatedStore, input: Args): Node {
  return {
    __typename: "DeliveryMethodDefinition",
    id: store.gid("DeliveryMethodDefinition"),
    name: input.name ?? "Rate",
    active: input.active ?? true,
    description: input.description ?? null,
    rateProvider: {
      __typename: "DeliveryRateDefinition",
      id: store.gid("DeliveryRateDefinition"),
      price: moneyV2(
        cents(input.rateDefinition?.price?.amount ?? "0"),
        input.rateDefinition?.price?.currencyCode ?? store.currency,
      ),
    },
    methodConditions: ((input.priceConditionsToCreate ?? []) as Args[]).map((c) => ({
      id: store.gid("DeliveryCondition"),
      field: "TOTAL_PRICE",
      operator: c.operator,
      conditionCriteria: { __typename: "MoneyV2", ...moneyV2(cents(c.criteria.amount), c.criteria.currencyCode) },
    })),
  };
}

/** One zone's update: countries added (the input names countries to associate), rates updated or created. */
function updateZone(store: EmulatedStore, entry: Node, input: Args): string | null {
  if (input.name !== undefined) entry.zone.name = input.name;
  for (const country of (input.countries ?? []) as Args[]) {
    if (entry.zone.countries.some((c: Node) => c.code.countryCode === country.code)) continue;
    entry.zone.countries.push({
      id: store.gid("DeliveryCountry"),
      name: country.code,
      translatedName: country.code,
      code: { countryCode: country.code ?? null, restOfWorld: Boolean(country.restOfWorld) },
      provinces: [],
    });
  }
  for (const update of (input.methodDefinitionsToUpdate ?? []) as Args[]) {
    const method = (entry.methodDefinitions as Node[]).find((m) => m.id === update.id);
    if (!method) return `Method definition ${update.id} does not exist in the zone`;
    if (update.name !== undefined) method.name = update.name;
    if (update.active !== undefined) method.active = update.active;
    const price = update.rateDefinition?.price;
    if (price) method.rateProvider.price = moneyV2(cents(price.amount), price.currencyCode);
  }
  for (const create of (input.methodDefinitionsToCreate ?? []) as Args[])
    entry.methodDefinitions.push(methodDefinition(store, create));
  return null;
}

/** deliveryProfileUpdate as the health page's fixes and the merchant's own edits use it. */
function deliveryProfileUpdate(_root: unknown, { id, profile: input }: Args, { store }: StoreContext) {
  const profile = nodeOfType(store, id, "DeliveryProfile");
  if (!profile) return { profile: null, userErrors: [userError(["id"], "Profile could not be found.")] };
  const groups = profile.profileLocationGroups as Node[];
  const zoneEntries = () => groups.flatMap((g) => g.locationGroupZones as Node[]);
  const deleting = new Set<string>(input.zonesToDelete ?? []);
  const unknownZone = [...deleting].find((zoneId) => !zoneEntries().some((z) => z.zone.id === zoneId));
  if (unknownZone)
    return {
      profile: null,
      userErrors: [userError(["profile", "zonesToDelete"], `Zone ${unknownZone} does not exist`)],
    };
  for (const groupInput of (input.locationGroupsToUpdate ?? []) as Args[]) {
    const group = groups.find((g) => g.locationGroup.id === groupInput.id);
    if (!group)
      return {
        profile: null,
        userErrors: [userError(["profile", "locationGroupsToUpdate"], "Location group does not exist")],
      };
    for (const zoneInput of (groupInput.zonesToUpdate ?? []) as Args[]) {
      const entry = (group.locationGroupZones as Node[]).find((z) => z.zone.id === zoneInput.id);
      if (!entry)
        return {
          profile: null,
          userErrors: [userError(["profile", "zonesToUpdate"], `Zone ${zoneInput.id} does not exist`)],
        };
      const error = updateZone(store, entry, zoneInput);
      if (error) return { profile: null, userErrors: [userError(["profile", "methodDefinitionsToUpdate"], error)] };
    }
  }
  for (const group of groups)
    group.locationGroupZones = (group.locationGroupZones as Node[]).filter((z) => !deleting.has(z.zone.id));
  const deleteMethods = new Set<string>(input.methodDefinitionsToDelete ?? []);
  for (const entry of zoneEntries())
    entry.methodDefinitions = (entry.methodDefinitions as Node[]).filter((m) => !deleteMethods.has(m.id));
  profile.version = (profile.version ?? 1) + 1;
  return { profile, userErrors: [] };
}

function webhookSubscriptionDelete(_root: unknown, { id }: Args, context: StoreContext) {
  const subscriptions = context.webhookSubscriptions as Node[];
  const index = subscriptions.findIndex((s) => s.id === id);
  if (index < 0)
    return {
      deletedWebhookSubscriptionId: null,
      userErrors: [userError(["id"], "Webhook subscription does not exist")],
    };
  subscriptions.splice(index, 1);
  return { deletedWebhookSubscriptionId: id, userErrors: [] };
}

const healthResolvers: ResolverMap = { Mutation: { deliveryProfileUpdate, webhookSubscriptionDelete } };

/** The resolvers above merged into the emulator's, type by type. */
export function withHealthResolvers(resolvers: ResolverMap): ResolverMap {
  const merged: ResolverMap = { ...resolvers };
  for (const [type, fields] of Object.entries(healthResolvers)) merged[type] = { ...resolvers[type], ...fields };
  return merged;
}
