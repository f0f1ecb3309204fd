import type { DeliveryRateFacts, DeliveryZoneFacts, ListedSubscription } from "../../policy/health";
import { parseDecimal } from "../../policy/money";
import type { AdminGateway } from "../shopify/admin-gateway.server";
import { DELIVERY_PROFILES_QUERY, HEALTH_QUERY } from "./health-documents";

type Rules = { value: string } | null;

interface HealthResponse {
  shop: { id: string; metafield: Rules };
  shopifyFunctions: { nodes: Array<{ id: string; handle: string; apiType: string }> };
  validations: {
    nodes: Array<{
      id: string;
      title: string;
      enabled: boolean;
      shopifyFunction: { handle: string };
      metafield: Rules;
    }>;
  };
  automaticDiscountNodes: {
    nodes: Array<{
      id: string;
      metafield: Rules;
      automaticDiscount: {
        __typename: string;
        title?: string;
        status?: string;
        appDiscountType?: { functionId: string };
      };
    }>;
  };
  webhookSubscriptions: { nodes: ListedSubscription[] };
}

interface MoneyV2 {
  amount: string;
  currencyCode: string;
}

interface DeliveryResponse {
  deliveryProfiles: {
    nodes: Array<{
      id: string;
      name: string;
      profileLocationGroups: Array<{
        locationGroup: { id: string };
        locationGroupZones: {
          nodes: Array<{
            zone: {
              id: string;
              name: string;
              countries: Array<{ code: { countryCode: string | null; restOfWorld: boolean } }>;
            };
            methodDefinitions: {
              nodes: Array<{
                id: string;
                name: string;
                active: boolean;
                rateProvider: { __typename: string; id?: string; price?: MoneyV2 };
                methodConditions: Array<{
                  field: string;
                  operator: string;
                  conditionCriteria: { __typename: string } & Partial<MoneyV2>;
                }>;
              }>;
            };
          }>;
        };
      }>;
    }>;
  };
}

/** What the health checks read of the shop through the Admin API. */
export interface HealthFacts {
  shop: HealthResponse["shop"];
  functions: HealthResponse["shopifyFunctions"]["nodes"];
  validations: HealthResponse["validations"]["nodes"];
  discounts: HealthResponse["automaticDiscountNodes"]["nodes"];
  subscriptions: ListedSubscription[];
  zones: DeliveryZoneFacts[];
}

const money = (m: MoneyV2) => parseDecimal(m.amount, m.currencyCode);

function rateOf(
  method: DeliveryResponse["deliveryProfiles"]["nodes"][number]["profileLocationGroups"][number]["locationGroupZones"]["nodes"][number]["methodDefinitions"]["nodes"][number],
): DeliveryRateFacts {
  const fixed = method.rateProvider.__typename === "DeliveryRateDefinition" && method.rateProvider.price;
  const minimum = method.methodConditions.find(
    (c) =>
      c.field === "TOTAL_PRICE" &&
      c.operator === "GREATER_THAN_OR_EQUAL_TO" &&
      c.conditionCriteria.__typename === "MoneyV2",
  );
  return {
    methodId: method.id,
    rateId: method.rateProvider.id ?? null,
    name: method.name,
    active: method.active,
    price: fixed ? money(method.rateProvider.price!) : null,
    minTotal: minimum ? money(minimum.conditionCriteria as MoneyV2) : null,
  };
}

export async function readHealthFacts(gateway: AdminGateway): Promise<HealthFacts> {
  const [state, delivery] = await Promise.all([
    gateway.request<HealthResponse>(HEALTH_QUERY),
    gateway.request<DeliveryResponse>(DELIVERY_PROFILES_QUERY),
  ]);
  const zones = delivery.deliveryProfiles.nodes.flatMap((profile) =>
    profile.profileLocationGroups.flatMap((group) =>
      group.locationGroupZones.nodes.map((entry): DeliveryZoneFacts => ({
        profileId: profile.id,
        locationGroupId: group.locationGroup.id,
        zoneId: entry.zone.id,
        name: entry.zone.name,
        countries: entry.zone.countries.flatMap((c) => (c.code.countryCode ? [c.code.countryCode] : [])),
        restOfWorld: entry.zone.countries.some((c) => c.code.restOfWorld),
        rates: entry.methodDefinitions.nodes.map(rateOf),
      })),
    ),
  );
  return {
    shop: state.shop,
    functions: state.shopifyFunctions.nodes,
    validations: state.validations.nodes,
    discounts: state.automaticDiscountNodes.nodes,
    subscriptions: state.webhookSubscriptions.nodes,
    zones,
  };
}
