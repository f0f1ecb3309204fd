/** CAN-4: where the shopper's new cart lives (the online store's URL: its primary domain). */
export const STOREFRONT_URL_QUERY = `#graphql
  query PortalStorefrontUrl {
    shop {
      url
    }
  }
`;
