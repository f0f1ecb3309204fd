import { ApiVersion } from "@shopify/shopify-api";

/** The Admin API version the app, its webhooks and its documents use. */
export const ADMIN_API_VERSION = ApiVersion.October26;
