// The entry Shopify's function runner calls (export "cart-validations-generate-run").
export { cartValidationsGenerateRun as default } from "./cart_validations_generate_run";
