import { USER_ERROR_FIELDS } from "../shopify/user-errors";

/** What the queue reads back of a return after changing it: enough to know Shopify's state. */
const RETURN_STATE = `
  id
  name
  status
  closedAt
  requestApprovedAt
  decline {
    reason
    note
  }
`;

export const RETURN_APPROVE_REQUEST = `#graphql
  mutation PolicyGuardReturnApprove($input: ReturnApproveRequestInput!) {
    returnApproveRequest(input: $input) {
      return { ${RETURN_STATE} }
      userErrors { ${USER_ERROR_FIELDS} }
    }
  }
`;

export const RETURN_DECLINE_REQUEST = `#graphql
  mutation PolicyGuardReturnDecline($input: ReturnDeclineRequestInput!) {
    returnDeclineRequest(input: $input) {
      return { ${RETURN_STATE} }
      userErrors { ${USER_ERROR_FIELDS} }
    }
  }
`;

export const RETURN_CANCEL = `#graphql
  mutation PolicyGuardReturnCancel($id: ID!, $notifyCustomer: Boolean) {
    returnCancel(id: $id, notifyCustomer: $notifyCustomer) {
      return { ${RETURN_STATE} }
      userErrors { ${USER_ERROR_FIELDS} }
    }
  }
`;

export const REVERSE_FULFILLMENT_ORDER_DISPOSE = `#graphql
  mutation PolicyGuardReturnDispose($dispositionInputs: [ReverseFulfillmentOrderDisposeInput!]!) {
    reverseFulfillmentOrderDispose(dispositionInputs: $dispositionInputs) {
      reverseFulfillmentOrderLineItems {
        id
        dispositions {
          id
          type
          quantity
          location { id }
        }
      }
      userErrors { ${USER_ERROR_FIELDS} }
    }
  }
`;

export const RETURN_PROCESS = `#graphql
  mutation PolicyGuardReturnProcess($input: ReturnProcessInput!) {
    returnProcess(input: $input) {
      return {
        ${RETURN_STATE}
        refunds(first: 5) {
          nodes {
            id
            createdAt
            totalRefundedSet { shopMoney { amount currencyCode } }
          }
        }
      }
      userErrors { ${USER_ERROR_FIELDS} }
    }
  }
`;

export const RETURN_CLOSE = `#graphql
  mutation PolicyGuardReturnClose($id: ID!) {
    returnClose(id: $id) {
      return { ${RETURN_STATE} }
      userErrors { ${USER_ERROR_FIELDS} }
    }
  }
`;

/**
 * What restocking and refunding need from Shopify: the return's state and lines, its
 * reverse fulfillment order lines (with what is available now at the location, INV-2),
 * its refunds, and the order's transactions (the card SALE/CAPTURE to refund).
 */
export const RETURN_PROCESSING_FACTS = `#graphql
  query PolicyGuardReturnProcessingFacts($id: ID!, $locationId: ID!) {
    return(id: $id) {
      ${RETURN_STATE}
      returnLineItems(first: 10) {
        nodes {
          id
          quantity
          processableQuantity
          ... on ReturnLineItem {
            fulfillmentLineItem { lineItem { id } }
          }
        }
      }
      reverseFulfillmentOrders(first: 2) {
        nodes {
          id
          status
          lineItems(first: 10) {
            nodes {
              id
              totalQuantity
              dispositions { id type quantity }
              fulfillmentLineItem {
                lineItem {
                  id
                  variant {
                    id
                    inventoryItem {
                      id
                      tracked
                      inventoryLevel(locationId: $locationId) {
                        quantities(names: ["available"]) { name quantity }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
      refunds(first: 5) {
        nodes {
          id
          createdAt
          totalRefundedSet { shopMoney { amount currencyCode } }
        }
      }
      order {
        id
        transactions(first: 20) {
          id
          kind
          status
          gateway
          amountSet { shopMoney { amount currencyCode } }
          parentTransaction { id }
        }
      }
    }
  }
`;

/** The location a passed item is restocked at: the shop's first location (inactive ones are left out by default). */
export const RESTOCK_LOCATION = `#graphql
  query PolicyGuardRestockLocation {
    locations(first: 1) {
      nodes { id name }
    }
  }
`;

/** A return's state alone: did Shopify make a change after all (an attempt that timed out)? */
export const RETURN_STATE_QUERY = `#graphql
  query PolicyGuardReturnState($id: ID!) {
    return(id: $id) {
      ${RETURN_STATE}
      refunds(first: 5) {
        nodes {
          id
          createdAt
          totalRefundedSet { shopMoney { amount currencyCode } }
        }
      }
    }
  }
`;
