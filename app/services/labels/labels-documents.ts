import { USER_ERROR_FIELDS } from "../shopify/user-errors";

/** What buying a return label needs: the shopper's address, the return's open reverse fulfillment, the shop's location. */
export const RETURN_LABEL_FACTS_QUERY = `#graphql
  query ReturnLabelFacts($id: ID!) {
    return(id: $id) {
      id
      status
      order {
        id
        email
        shippingAddress {
          name
          company
          address1
          address2
          city
          provinceCode
          zip
          countryCodeV2
          phone
        }
      }
      reverseFulfillmentOrders(first: 5) {
        nodes {
          id
          status
          lineItems(first: 100) {
            nodes {
              id
              totalQuantity
            }
          }
          reverseDeliveries(first: 10) {
            nodes {
              id
              deliverable {
                ... on ReverseDeliveryShippingDeliverable {
                  tracking {
                    number
                  }
                }
              }
            }
          }
        }
      }
    }
    location {
      name
      address {
        address1
        address2
        city
        provinceCode
        zip
        countryCode
        phone
      }
    }
    shop {
      name
      email
    }
  }
`;

/** A staged target for the label file: the portal's staged-upload document, with resource RETURN_LABEL. */
export { STAGED_UPLOADS_MUTATION as RETURN_LABEL_STAGED_UPLOAD } from "../returns/returns-documents";

/** The label and tracking number on the return, so the shopper sees them in their account. */
export const REVERSE_DELIVERY_CREATE_WITH_SHIPPING = `#graphql
  mutation ReturnLabelDelivery(
    $reverseFulfillmentOrderId: ID!
    $reverseDeliveryLineItems: [ReverseDeliveryLineItemInput!]!
    $labelInput: ReverseDeliveryLabelInput
    $trackingInput: ReverseDeliveryTrackingInput
    $notifyCustomer: Boolean
  ) {
    reverseDeliveryCreateWithShipping(
      reverseFulfillmentOrderId: $reverseFulfillmentOrderId
      reverseDeliveryLineItems: $reverseDeliveryLineItems
      labelInput: $labelInput
      trackingInput: $trackingInput
      notifyCustomer: $notifyCustomer
    ) {
      reverseDelivery {
        id
        deliverable {
          ... on ReverseDeliveryShippingDeliverable {
            label {
              publicFileUrl
            }
            tracking {
              number
              url
            }
          }
        }
      }
      userErrors {
        ${USER_ERROR_FIELDS}
      }
    }
  }
`;
