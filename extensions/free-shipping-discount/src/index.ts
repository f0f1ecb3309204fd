// The entry Shopify's function runner calls (export "cart-delivery-options-discounts-generate-run").
export { cartDeliveryOptionsDiscountsGenerateRun as default } from "./cart_delivery_options_discounts_generate_run";
