import { moneyV2 } from "../money";
import type { EmulatedStore, Node } from "../store";

/** What a merchant changes by hand in Shopify's admin, drifting the shop away from the policy. */

function generalZones(store: EmulatedStore): Node[] {
  const profile = store.deliveryProfiles[0];
  if (!profile) throw new Error("The store has no delivery profile: call setDeliveryProfile first");
  return (profile.profileLocationGroups as Node[]).flatMap((g) => g.locationGroupZones as Node[]);
}

/** The price of the first rate of the first zone that applies at any cart total (the flat rate, in a policy shop). */
export function changeDeliveryRate(store: EmulatedStore, priceCents: number): Node {
  const method = generalZones(store)
    .flatMap((z) => z.methodDefinitions as Node[])
    .find((m) => (m.methodConditions as Node[]).length === 0);
  if (!method) throw new Error("No unconditional rate to change");
  method.rateProvider.price = moneyV2(priceCents, store.currency);
  return method;
}

const country = (store: EmulatedStore, code: string) => ({
  id: store.gid("DeliveryCountry"),
  name: code,
  translatedName: code,
  code: { countryCode: code, restOfWorld: false },
  provinces: [],
});

/** Adds a country to the first zone (the Admin API cannot take it out again; Shopify's admin can). */
export function addZoneCountry(store: EmulatedStore, code: string): void {
  generalZones(store)[0]!.zone.countries.push(country(store, code));
}

/** Takes a country out of every zone, as the merchant does in Shopify's admin. */
export function removeZoneCountry(store: EmulatedStore, code: string): void {
  for (const entry of generalZones(store))
    entry.zone.countries = (entry.zone.countries as Node[]).filter((c) => c.code.countryCode !== code);
}

/** A zone of its own for `codes`, with one rate. */
export function addZone(store: EmulatedStore, codes: string[], priceCents: number): Node {
  const group = (store.deliveryProfiles[0]!.profileLocationGroups as Node[])[0]!;
  const entry = {
    zone: { id: store.gid("DeliveryZone"), name: codes.join(", "), countries: codes.map((c) => country(store, c)) },
    methodDefinitions: [
      {
        __typename: "DeliveryMethodDefinition",
        id: store.gid("DeliveryMethodDefinition"),
        name: "International",
        active: true,
        description: null,
        rateProvider: {
          __typename: "DeliveryRateDefinition",
          id: store.gid("DeliveryRateDefinition"),
          price: moneyV2(priceCents, store.currency),
        },
        methodConditions: [],
      },
    ],
  };
  (group.locationGroupZones as Node[]).push(entry as unknown as Node);
  return entry as unknown as Node;
}

/** The merchant turns the app's checkout validation off in Settings › Checkout. */
export function disableValidation(store: EmulatedStore): void {
  for (const validation of store.validations) validation.enabled = false;
}

/** Someone edits a checkout-rules metafield by hand (or a sync was lost): the Functions read other rules. */
export function editRulesMetafield(owner: Node, edit: (rules: Record<string, any>) => void): void {
  const metafield = (owner.metafields as Node[]).find((m) => m.key === "checkout-rules");
  if (!metafield) throw new Error("No checkout-rules metafield");
  const rules = JSON.parse(metafield.value);
  edit(rules);
  metafield.value = JSON.stringify(rules);
}
