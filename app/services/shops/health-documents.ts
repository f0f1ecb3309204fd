/** Admin API documents for the health page; tests validate every tagged document against the 2026-10 schema. */

const RULES_METAFIELD = `metafield(namespace: "$app", key: "checkout-rules") {
        value
      }`;

/** Checkout enforcement (Functions, validation, discount, their rules) and the app's shop-scoped webhook subscriptions. */
export const HEALTH_QUERY = `#graphql
  query PolicyHealth {
    shop {
      id
      ${RULES_METAFIELD}
    }
    shopifyFunctions(first: 25) {
      nodes {
        id
        handle
        apiType
      }
    }
    validations(first: 10) {
      nodes {
        id
        title
        enabled
        shopifyFunction {
          handle
        }
        ${RULES_METAFIELD}
      }
    }
    automaticDiscountNodes(first: 10) {
      nodes {
        id
        ${RULES_METAFIELD}
        automaticDiscount {
          __typename
          ... on DiscountAutomaticApp {
            title
            status
            appDiscountType {
              functionId
            }
          }
        }
      }
    }
    webhookSubscriptions(first: 25) {
      nodes {
        id
        topic
        uri
      }
    }
  }
`;

/** The shop's delivery profiles: zones, their countries and rates with their cart-total conditions (SHP-2, SHP-3). */
export const DELIVERY_PROFILES_QUERY = `#graphql
  query PolicyDeliveryProfiles {
    deliveryProfiles(first: 2) {
      nodes {
        id
        name
        profileLocationGroups {
          locationGroup {
            id
          }
          locationGroupZones(first: 5) {
            nodes {
              zone {
                id
                name
                countries {
                  code {
                    countryCode
                    restOfWorld
                  }
                }
              }
              methodDefinitions(first: 5) {
                nodes {
                  id
                  name
                  active
                  rateProvider {
                    __typename
                    ... on DeliveryRateDefinition {
                      id
                      price {
                        amount
                        currencyCode
                      }
                    }
                  }
                  methodConditions {
                    field
                    operator
                    conditionCriteria {
                      __typename
                      ... on MoneyV2 {
                        amount
                        currencyCode
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
`;

/** SHP-2/SHP-3 fixes: rates set to the flat rate, a flat rate added to a zone, zones outside the allowed countries deleted. */
export const DELIVERY_PROFILE_UPDATE = `#graphql
  mutation PolicyDeliveryProfileUpdate($id: ID!, $profile: DeliveryProfileInput!) {
    deliveryProfileUpdate(id: $id, profile: $profile) {
      profile {
        id
      }
      userErrors {
        field
        message
      }
    }
  }
`;

/** A shop-scoped subscription the app does not declare in shopify.app.toml. */
export const WEBHOOK_SUBSCRIPTION_DELETE = `#graphql
  mutation PolicyWebhookSubscriptionDelete($id: ID!) {
    webhookSubscriptionDelete(id: $id) {
      deletedWebhookSubscriptionId
      userErrors {
        field
        message
      }
    }
  }
`;
