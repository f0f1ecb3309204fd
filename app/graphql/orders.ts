/** Admin API documents for background order work; tests validate every tagged document against the 2026-10 schema. */

/** Payment facts for the card-only rule (RET-3) and payment on delivery (TML-6). */
export const ORDER_PAYMENTS_QUERY = `#graphql
  query OrderPayments($id: ID!) {
    order(id: $id) {
      id
      transactions(first: 20) {
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
      }
    }
  }
`;

const ORDER_SNAPSHOT_FIELDS = `
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
  currentSubtotalPriceSet {
    shopMoney {
      amount
    }
  }
  totalShippingPriceSet {
    shopMoney {
      amount
    }
  }
  totalPriceSet {
    shopMoney {
      amount
    }
  }
  lineItems(first: 50) {
    nodes {
      id
      title
      quantity
      variant {
        id
      }
      product {
        id
      }
      originalUnitPriceSet {
        shopMoney {
          amount
        }
      }
    }
  }
  fulfillments(first: 5) {
    id
    createdAt
    events(first: 10) {
      nodes {
        status
        happenedAt
      }
    }
  }
  refunds(first: 5) {
    id
    createdAt
  }
  transactions(first: 10) {
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
  }
`;

/** One order, for an event about an order the app has not seen yet. */
export const ORDER_SNAPSHOT_QUERY = `#graphql
  query OrderSnapshot($id: ID!) {
    order(id: $id) {
      ${ORDER_SNAPSHOT_FIELDS}
    }
  }
`;

/** Orders updated since the last sync (reconciliation), oldest first. */
export const RECONCILE_ORDERS_QUERY = `#graphql
  query ReconcileOrders($query: String!, $after: String) {
    orders(first: 10, after: $after, query: $query, sortKey: UPDATED_AT) {
      nodes {
        ${ORDER_SNAPSHOT_FIELDS}
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;
