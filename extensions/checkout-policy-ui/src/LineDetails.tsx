/// <reference types="@shopify/ui-extensions/purchase.checkout.cart-line-item.render-after" />
import type { CartLine } from "@shopify/ui-extensions/checkout";
import {
  useAppMetafields,
  useApplyCartLinesChange,
  useCartLineTarget,
  useInstructions,
  useTranslate,
} from "@shopify/ui-extensions/checkout/preact";
import { render } from "preact";
import { useState } from "preact/hooks";
import {
  needsWristSize,
  parseWristSize,
  WRIST_SIZE_ATTRIBUTE,
  WRIST_SIZE_RANGE_CM,
} from "../../../app/policy/band-adjustment";
import { conditionRankNotice } from "../../../app/policy/inventory";
import { useNoticeText } from "./notices";

export default async () => {
  render(<LineDetails />, document.body);
};

/** Under each line: its condition rank (INV-4) and, for a watch, the wrist size for band adjustment. */
function LineDetails() {
  const line = useCartLineTarget();
  const text = useNoticeText();
  const product = line.merchandise.product;
  const [rank] = useAppMetafields({ type: "product", id: product.id, namespace: "custom", key: "condition_rank" });
  const rankNotice = conditionRankNotice(rank ? String(rank.metafield.value) : null);
  const watch = needsWristSize(product.productType);
  if (!rankNotice && !watch) return null;
  return (
    <s-stack gap="small-200">
      {rankNotice && (
        <s-text color="subdued" data-rule={rankNotice.rule}>
          {text(rankNotice)}
        </s-text>
      )}
      {watch && <WristSizeField line={line} />}
    </s-stack>
  );
}

/** Saved as a line attribute, so it lands on the order's line item for the staff who adjust the band. */
function WristSizeField({ line }: { line: CartLine }) {
  const translate = useTranslate();
  const instructions = useInstructions();
  const applyCartLinesChange = useApplyCartLinesChange();
  const [error, setError] = useState<string>();
  const saved = line.attributes.find((a) => a.key === WRIST_SIZE_ATTRIBUTE)?.value ?? "";

  if (!instructions.lines.canUpdateCartLine) {
    return <s-text color="subdued">{translate("wristSize.unavailable")}</s-text>;
  }

  async function save(typed: string) {
    const others = line.attributes.filter((a) => a.key !== WRIST_SIZE_ATTRIBUTE);
    let attributes = others;
    if (typed.trim()) {
      const size = parseWristSize(typed);
      if (!size.ok) {
        setError(translate(size.error, { min: String(WRIST_SIZE_RANGE_CM.min), max: String(WRIST_SIZE_RANGE_CM.max) }));
        return;
      }
      if (size.value === saved) return setError(undefined);
      attributes = [...others, { key: WRIST_SIZE_ATTRIBUTE, value: size.value }];
    } else if (!saved) {
      return setError(undefined);
    }
    const result = await applyCartLinesChange({ type: "updateCartLine", id: line.id, attributes });
    setError(result.type === "error" ? translate("wristSize.saveFailed", { message: result.message }) : undefined);
  }

  return (
    <s-stack gap="small-300">
      <s-text-field
        label={translate("wristSize.label")}
        value={saved}
        error={error}
        onChange={(event) => save((event.currentTarget as HTMLInputElement).value)}
      />
      <s-text color="subdued">
        {saved ? translate("wristSize.saved", { value: saved }) : translate("wristSize.details")}
      </s-text>
    </s-stack>
  );
}
