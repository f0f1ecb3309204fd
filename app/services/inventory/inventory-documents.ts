import { USER_ERROR_FIELDS } from "../shopify/user-errors";

/** Admin API documents for the inventory guard; tests validate every tagged document against the 2026-10 schema. */

/** How many variants an audit will read, for its progress ("Checked 40 of 120 variants"). */
export const VARIANT_COUNT_QUERY = `#graphql
  query VariantCount {
    productVariantsCount(limit: null) {
      count
    }
  }
`;

/** One page of variants with the facts INV-2 reads, and what the merchant recognises each by. */
export const INVENTORY_FACTS_QUERY = `#graphql
  query InventoryFacts($after: String) {
    productVariants(first: 100, after: $after) {
      nodes {
        id
        title
        inventoryPolicy
        inventoryQuantity
        updatedAt
        inventoryItem {
          id
          tracked
        }
        product {
          id
          title
          tags
          featuredMedia {
            preview {
              image {
                url
              }
            }
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export const FIX_VARIANTS_MUTATION = `#graphql
  mutation FixOneOfAKindVariants($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {
    productVariantsBulkUpdate(productId: $productId, variants: $variants) {
      productVariants {
        id
        inventoryPolicy
        inventoryItem {
          tracked
        }
      }
      userErrors {
        ${USER_ERROR_FIELDS}
      }
    }
  }
`;

export const SET_AVAILABLE_MUTATION = `#graphql
  mutation SetOneOfAKindAvailable($input: InventorySetQuantitiesInput!) {
    inventorySetQuantities(input: $input) {
      userErrors {
        ${USER_ERROR_FIELDS}
      }
    }
  }
`;

export const PRIMARY_LOCATION_QUERY = `#graphql
  query PrimaryLocation {
    location {
      id
    }
  }
`;
