/**
 * The checkout UI extension's size as shipped (minified, Preact, app/policy bundled in),
 * per target and for the whole extension. Target: ≤ 16 KB gzip; Shopify refuses more than 64 KB.
 */
import { uiExtensionSizes } from "../test/support/ui-extension-bundle";

const TARGET_GZIP_BYTES = 16 * 1024;
const SHOPIFY_LIMIT_BYTES = 64 * 1024;

const { total, targets } = await uiExtensionSizes("checkout-policy-ui");
const kb = (bytes: number) => Number((bytes / 1024).toFixed(2));
console.log(
  JSON.stringify(
    {
      extension: total.name,
      whole_extension: { minified_kb: kb(total.bytes), gzip_kb: kb(total.gzipBytes) },
      per_target: Object.fromEntries(
        targets.map((t) => [t.name, { minified_kb: kb(t.bytes), gzip_kb: kb(t.gzipBytes) }]),
      ),
      targets: {
        gzip_at_most_16_kb:
          targets.every((t) => t.gzipBytes <= TARGET_GZIP_BYTES) && total.gzipBytes <= TARGET_GZIP_BYTES,
        under_shopify_64_kb: total.bytes <= SHOPIFY_LIMIT_BYTES,
      },
    },
    null,
    2,
  ),
);
