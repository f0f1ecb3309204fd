/** Admin API documents of the return portal; tests validate every tagged document against the 2026-10 schema. */
import { TRANSACTION_FIELDS } from "../orders/order-documents";
import { USER_ERROR_FIELDS } from "../shopify/user-errors";

/** What the app keeps of a Return (return-record.server.ts ShopifyReturn). */
const RETURN_FIELDS = `
  id
  name
  status
  createdAt
  requestApprovedAt
  closedAt
  decline {
    reason
    note
  }
  order {
    id
  }
  returnShippingFees {
    amountSet {
      shopMoney {
        amount
        currencyCode
      }
    }
  }
  returnLineItems(first: 20) {
    nodes {
      id
      quantity
      returnReason
      customerNote
      ... on ReturnLineItem {
        fulfillmentLineItem {
          id
          lineItem {
            id
          }
        }
      }
    }
  }
`;

/** The shopper's request, waiting for the merchant; the fee is RET-7's, decided by the app. */
export const RETURN_REQUEST_MUTATION = `#graphql
  mutation PortalReturnRequest($input: ReturnRequestInput!) {
    returnRequest(input: $input) {
      return {
        ${RETURN_FIELDS}
      }
      userErrors {
        ${USER_ERROR_FIELDS}
      }
    }
  }
`;

/** One return, for a webhook about a return the app has not stored (native self-serve, or missed). */
export const RETURN_QUERY = `#graphql
  query PortalReturn($id: ID!) {
    return(id: $id) {
      ${RETURN_FIELDS}
    }
  }
`;

/** An order's returns: after a request that failed mid-way, did Shopify create it after all? */
export const ORDER_RETURNS_QUERY = `#graphql
  query PortalOrderReturns($id: ID!) {
    order(id: $id) {
      id
      returns(first: 5, reverse: true) {
        nodes {
          ${RETURN_FIELDS}
        }
      }
    }
  }
`;

/** What can still be returned, by fulfillment line item: checked again at request time. */
export const RETURNABLE_FULFILLMENTS_QUERY = `#graphql
  query PortalReturnableFulfillments($orderId: ID!) {
    returnableFulfillments(orderId: $orderId, first: 5) {
      nodes {
        id
        fulfillment {
          id
        }
        returnableFulfillmentLineItems(first: 25) {
          nodes {
            quantity
            fulfillmentLineItem {
              id
              lineItem {
                id
              }
            }
          }
        }
      }
    }
  }
`;

/**
 * The return facts the rules read that an order snapshot may lack (RET-2 compare-at price and
 * tags, RET-7 tax), and the transactions (RET-3): fetched when the stored facts are missing.
 */
export const ORDER_RETURN_FACTS_QUERY = `#graphql
  query PortalOrderReturnFacts($id: ID!) {
    order(id: $id) {
      id
      lineItems(first: 50) {
        nodes {
          id
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
        }
      }
      transactions(first: 20) {
        ${TRANSACTION_FIELDS}
      }
    }
  }
`;

/**
 * CAN-1…3: cancel as the shopper asked: restock, refund to the original payment methods,
 * notify the customer. Asynchronous in 2026-10: the answer is a job.
 */
export const ORDER_CANCEL_MUTATION = `#graphql
  mutation PortalOrderCancel($orderId: ID!, $staffNote: String) {
    orderCancel(
      orderId: $orderId
      reason: CUSTOMER
      restock: true
      notifyCustomer: true
      refundMethod: { originalPaymentMethodsRefund: true }
      staffNote: $staffNote
    ) {
      job {
        id
        done
      }
      orderCancelUserErrors {
        ${USER_ERROR_FIELDS}
      }
    }
  }
`;

/** Claim photos: where to upload each file, then the files made from the uploads. */
export const STAGED_UPLOADS_MUTATION = `#graphql
  mutation PortalStagedUploads($input: [StagedUploadInput!]!) {
    stagedUploadsCreate(input: $input) {
      stagedTargets {
        url
        resourceUrl
        parameters {
          name
          value
        }
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const FILE_CREATE_MUTATION = `#graphql
  mutation PortalFileCreate($files: [FileCreateInput!]!) {
    fileCreate(files: $files) {
      files {
        id
        fileStatus
        ... on MediaImage {
          image {
            url
          }
        }
      }
      userErrors {
        ${USER_ERROR_FIELDS}
      }
    }
  }
`;

/** A return created outside the app that breaks the policy is declined with the policy's sentence. */
export const NATIVE_RETURN_DECLINE_MUTATION = `#graphql
  mutation NativeReturnDecline($input: ReturnDeclineRequestInput!) {
    returnDeclineRequest(input: $input) {
      return {
        ${RETURN_FIELDS}
      }
      userErrors {
        ${USER_ERROR_FIELDS}
      }
    }
  }
`;

/** Whether Shopify's asynchronous job (orderCancel's) has run. */
export const JOB_QUERY = `#graphql
  query PortalJob($id: ID!) {
    job(id: $id) {
      id
      done
    }
  }
`;
