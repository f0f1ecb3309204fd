import { moneyV2 } from "../money";
import type { EmulatedStore, Node } from "../store";

export interface RateSpec {
  name: string;
  priceCents: number;
  /** Shown only when the cart total is at least this much (Shopify's price condition). */
  minTotalCents?: number;
}

/** The shop's general delivery profile: one zone of countries with flat and conditional rates. */
export function setDeliveryProfile(store: EmulatedStore, spec: { countries: string[]; rates: RateSpec[] }): Node {
  const methodDefinitions = spec.rates.map((rate) => ({
    __typename: "DeliveryMethodDefinition",
    id: store.gid("DeliveryMethodDefinition"),
    name: rate.name,
    active: true,
    description: null,
    rateProvider: {
      __typename: "DeliveryRateDefinition",
      id: store.gid("DeliveryRateDefinition"),
      price: moneyV2(rate.priceCents, store.currency),
    },
    methodConditions:
      rate.minTotalCents === undefined
        ? []
        : [
            {
              id: store.gid("DeliveryCondition"),
              field: "TOTAL_PRICE",
              operator: "GREATER_THAN_OR_EQUAL_TO",
              conditionCriteria: { __typename: "MoneyV2", ...moneyV2(rate.minTotalCents, store.currency) },
            },
          ],
  }));
  const zone = {
    zone: {
      id: store.gid("DeliveryZone"),
      name: spec.countries.join(", "),
      countries: spec.countries.map((code) => ({
        id: store.gid("DeliveryCountry"),
        name: code,
        translatedName: code,
        code: { countryCode: code, restOfWorld: false },
        provinces: [],
      })),
    },
    methodDefinitions,
  };
  const profile = store.register({
    __typename: "DeliveryProfile",
    id: store.gid("DeliveryProfile"),
    name: "General profile",
    default: true,
    version: 1,
    profileLocationGroups: [
      {
        locationGroup: { id: store.gid("DeliveryLocationGroup"), locations: store.locations },
        locationGroupZones: [zone],
        countriesInAnyZone: [],
      },
    ],
  });
  store.deliveryProfiles.splice(0, store.deliveryProfiles.length, profile);
  return profile;
}
