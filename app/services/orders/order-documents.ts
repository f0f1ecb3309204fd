/** Admin API documents for background order work; tests validate every tagged document against the 2026-10 schema. */

/** What the card-only rule (RET-3) and payment on delivery (TML-6) read of a transaction. */
export const TRANSACTION_FIELDS = `
  kind
  status
  gateway
  manualPaymentGateway
  processedAt
  amountSet {
    shopMoney {
      amount
      currencyCode
    }
  }
  paymentDetails {
    __typename
  }
`;

/** Payment facts for the card-only rule (RET-3) and payment on delivery (TML-6). */
export const ORDER_PAYMENTS_QUERY = `#graphql
  query OrderPayments($id: ID!) {
    order(id: $id) {
      id
      transactions(first: 20) {
        ${TRANSACTION_FIELDS}
      }
    }
  }
`;

/** Order fields for a snapshot; page sizes keep each query under Shopify's 1,000-point limit. */
const orderSnapshotFields = (lines: number) => `
  id
  name
  email
  processedAt
  cancelledAt
  updatedAt
  displayFinancialStatus
  displayFulfillmentStatus
  currencyCode
  customer {
    id
  }
  presentmentCurrencyCode
  currentSubtotalPriceSet {
    shopMoney {
      amount
    }
  }
  subtotalPriceSet {
    presentmentMoney {
      amount
      currencyCode
    }
  }
  shippingAddress {
    countryCodeV2
  }
  shippingLines(first: 3) {
    nodes {
      title
      originalPriceSet {
        presentmentMoney {
          amount
          currencyCode
        }
      }
      discountedPriceSet {
        shopMoney {
          amount
        }
        presentmentMoney {
          amount
          currencyCode
        }
      }
    }
  }
  totalPriceSet {
    shopMoney {
      amount
    }
  }
  lineItems(first: ${lines}) {
    nodes {
      id
      title
      quantity
      variant {
        id
        compareAtPrice
      }
      product {
        id
        tags
      }
      taxLines(first: 3) {
        priceSet {
          shopMoney {
            amount
          }
        }
      }
      customAttributes {
        key
        value
      }
      originalUnitPriceSet {
        shopMoney {
          amount
        }
      }
    }
  }
  fulfillments(first: 3) {
    id
    createdAt
    events(first: 5) {
      nodes {
        status
        happenedAt
      }
    }
  }
  refunds(first: 3) {
    id
    createdAt
  }
  transactions(first: 5) {
    ${TRANSACTION_FIELDS}
  }
`;

/** One order, for an event about an order the app has not seen yet. */
export const ORDER_SNAPSHOT_QUERY = `#graphql
  query OrderSnapshot($id: ID!) {
    order(id: $id) {
      ${orderSnapshotFields(50)}
    }
  }
`;

/** Orders updated since the last sync (reconciliation), oldest first. */
export const RECONCILE_ORDERS_QUERY = `#graphql
  query ReconcileOrders($query: String!, $after: String) {
    orders(first: 4, after: $after, query: $query, sortKey: UPDATED_AT) {
      nodes {
        ${orderSnapshotFields(10)}
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;
