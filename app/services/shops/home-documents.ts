/** Admin API documents for the home page; tests validate every tagged document against the 2026-10 schema. */
export const POLICY_HOME_QUERY = `#graphql
  query PolicyHome {
    shop {
      name
      myshopifyDomain
      ianaTimezone
      currencyCode
    }
    orders(first: 10, sortKey: PROCESSED_AT, reverse: true) {
      nodes {
        id
        name
        processedAt
        cancelledAt
        displayFinancialStatus
        displayFulfillmentStatus
        customer {
          displayName
        }
        totalPriceSet {
          shopMoney {
            amount
            currencyCode
          }
        }
      }
    }
  }
`;
