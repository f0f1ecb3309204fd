/** Admin API documents of warranty repairs (WAR-5): a paid repair is a draft order, invoiced by email. */

export const DRAFT_ORDER_CREATE_MUTATION = `#graphql
  mutation WarrantyRepairDraftCreate($input: DraftOrderInput!) {
    draftOrderCreate(input: $input) {
      draftOrder {
        id
        name
        status
        invoiceUrl
        totalPriceSet {
          shopMoney {
            amount
            currencyCode
          }
        }
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const DRAFT_ORDER_INVOICE_SEND_MUTATION = `#graphql
  mutation WarrantyRepairInvoiceSend($id: ID!, $email: EmailInput) {
    draftOrderInvoiceSend(id: $id, email: $email) {
      draftOrder {
        id
        status
        invoiceSentAt
        invoiceUrl
      }
      userErrors {
        field
        message
      }
    }
  }
`;
