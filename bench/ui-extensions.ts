/**
 * The UI extensions' sizes as shipped (minified, Preact, app/policy bundled in), per target and
 * for each whole extension, against each one's target: ≤ 16 KB gzip for the checkout extension
 * and the return portal's order action and return-details block, ≤ 32 KB for the return page.
 * Shopify refuses more than 64 KB.
 */
import { uiExtensionSizes } from "../test/support/ui-extension-bundle";

const KB = 1024;
const SHOPIFY_LIMIT_BYTES = 64 * KB;
const EXTENSIONS = [
  { name: "checkout-policy-ui", targetGzipBytes: 16 * KB },
  { name: "return-portal-actions", targetGzipBytes: 16 * KB },
  { name: "return-portal-page", targetGzipBytes: 32 * KB },
  // The order-details block in Shopify's admin.
  { name: "order-policy-admin", targetGzipBytes: 16 * KB },
];

const kb = (bytes: number) => Number((bytes / 1024).toFixed(2));
const report = [];
for (const { name, targetGzipBytes } of EXTENSIONS) {
  const { total, targets } = await uiExtensionSizes(name);
  report.push({
    extension: total.name,
    whole_extension: { minified_kb: kb(total.bytes), gzip_kb: kb(total.gzipBytes) },
    per_target: Object.fromEntries(
      targets.map((t) => [t.name, { minified_kb: kb(t.bytes), gzip_kb: kb(t.gzipBytes) }]),
    ),
    targets: {
      [`gzip_at_most_${targetGzipBytes / KB}_kb`]:
        targets.every((t) => t.gzipBytes <= targetGzipBytes) && total.gzipBytes <= targetGzipBytes,
      under_shopify_64_kb: total.bytes <= SHOPIFY_LIMIT_BYTES,
    },
  });
}
console.log(JSON.stringify(report, null, 2));
