import { USER_ERROR_FIELDS } from "../shopify/user-errors";

/** TML-6: what Shopify says of the order right before it is cancelled for non-payment. */
export const UNPAID_ORDER_STATE_QUERY = `#graphql
  query UnpaidOrderState($id: ID!) {
    order(id: $id) {
      id
      cancelledAt
      displayFinancialStatus
      fulfillments(first: 10) {
        id
        status
      }
    }
  }
`;

/** The unpaid parcel came back: its fulfillment is cancelled, which Shopify requires before the order. */
export const FULFILLMENT_CANCEL_MUTATION = `#graphql
  mutation UnpaidFulfillmentCancel($id: ID!) {
    fulfillmentCancel(id: $id) {
      fulfillment {
        id
        status
      }
      userErrors {
        field
        message
      }
    }
  }
`;

/** Cancelled for non-payment: nothing to refund, the units back in stock, the customer told. */
export const UNPAID_ORDER_CANCEL_MUTATION = `#graphql
  mutation UnpaidOrderCancel($orderId: ID!, $staffNote: String) {
    orderCancel(
      orderId: $orderId
      reason: DECLINED
      restock: true
      notifyCustomer: true
      refundMethod: { originalPaymentMethodsRefund: false }
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
