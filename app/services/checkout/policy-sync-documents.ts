import { USER_ERROR_FIELDS } from "../shopify/user-errors";

/** Admin API documents for policy sync; tests validate every tagged document against the 2026-10 schema. */

/** The app's Functions, the validation and the automatic discounts they back. */
export const CHECKOUT_ENFORCEMENT_QUERY = `#graphql
  query CheckoutEnforcement {
    shop {
      id
    }
    shopifyFunctions(first: 25) {
      nodes {
        id
        handle
        apiType
      }
    }
    validations(first: 25) {
      nodes {
        id
        enabled
        shopifyFunction {
          handle
        }
      }
    }
    automaticDiscountNodes(first: 25) {
      nodes {
        id
        automaticDiscount {
          __typename
          ... on DiscountAutomaticApp {
            appDiscountType {
              functionId
            }
          }
        }
      }
    }
  }
`;

export const VALIDATION_CREATE = `#graphql
  mutation PolicyValidationCreate($validation: ValidationCreateInput!) {
    validationCreate(validation: $validation) {
      validation {
        id
      }
      userErrors {
        ${USER_ERROR_FIELDS}
      }
    }
  }
`;

export const VALIDATION_UPDATE = `#graphql
  mutation PolicyValidationUpdate($id: ID!, $validation: ValidationUpdateInput!) {
    validationUpdate(id: $id, validation: $validation) {
      validation {
        id
      }
      userErrors {
        ${USER_ERROR_FIELDS}
      }
    }
  }
`;

export const DISCOUNT_CREATE = `#graphql
  mutation PolicyDiscountCreate($discount: DiscountAutomaticAppInput!) {
    discountAutomaticAppCreate(automaticAppDiscount: $discount) {
      automaticAppDiscount {
        discountId
      }
      userErrors {
        ${USER_ERROR_FIELDS}
      }
    }
  }
`;

export const DISCOUNT_UPDATE = `#graphql
  mutation PolicyDiscountUpdate($id: ID!, $discount: DiscountAutomaticAppInput!) {
    discountAutomaticAppUpdate(id: $id, automaticAppDiscount: $discount) {
      automaticAppDiscount {
        discountId
      }
      userErrors {
        ${USER_ERROR_FIELDS}
      }
    }
  }
`;

/** The shop-owned copy of the rules, read by the checkout UI extension. */
export const SHOP_METAFIELDS_SET = `#graphql
  mutation PolicyShopMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields {
        id
      }
      userErrors {
        ${USER_ERROR_FIELDS}
      }
    }
  }
`;
