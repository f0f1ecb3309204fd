/** What every mutation document reads of Shopify's userErrors, so failures can be shown as Shopify words them. */
export const USER_ERROR_FIELDS = `
  field
  message
  code
`;
