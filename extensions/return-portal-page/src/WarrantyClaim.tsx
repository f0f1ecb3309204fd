import { useEffect, useState } from "preact/hooks";
import type { FiledWarrantyClaim, WarrantyOptions } from "../../../app/services/warranty/warranty-types";
import { portalFetch, type Json } from "../../return-portal-actions/src/portal-client";

type Translate = (key: string, params?: Record<string, string | number>) => string;

const newClaimKey = () =>
  typeof crypto !== "undefined" && crypto.randomUUID
    ? crypto.randomUUID()
    : `w-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;

/**
 * WAR-1…5 below the return form: where the store has a warranty and the order was delivered, the
 * shopper picks the item, says what is wrong, adds photos, and reads the rule's decision at once.
 */
export function WarrantyClaim({ orderId, t }: { orderId: string; t: Translate }) {
  const [options, setOptions] = useState<Json<WarrantyOptions> | null>(null);
  const [filed, setFiled] = useState<Json<FiledWarrantyClaim> | null>(null);
  const [lineId, setLineId] = useState<string>();
  const [issue, setIssue] = useState("manufacturing_defect");
  const [note, setNote] = useState("");
  const [photos, setPhotos] = useState<File[]>([]);
  const [error, setError] = useState<string>();
  const [sending, setSending] = useState(false);
  const [claimKey] = useState(newClaimKey);
  useEffect(() => {
    void portalFetch<Json<WarrantyOptions>>(`/api/portal/warranty?orderId=${encodeURIComponent(orderId)}`).then(
      (answer) => setOptions(answer.ok ? answer.data : null),
    );
  }, [orderId]);

  if (filed)
    return (
      <s-banner tone={filed.covered ? "success" : "info"} heading={t("warranty.filed")} data-warranty-filed>
        {filed.sentence}
      </s-banner>
    );
  if (!options?.enabled || !options.delivered) return null;
  const claimable = options.lines.filter((l) => !l.openClaim);
  const chosen = lineId ?? claimable[0]?.lineId;

  async function submit() {
    if (sending || !chosen) return;
    if (!photos.length) return setError(t("warranty.photoNeeded"));
    setSending(true);
    setError(undefined);
    const form = new FormData();
    form.set("orderId", orderId);
    form.set("claimKey", claimKey);
    form.set("lineId", chosen);
    form.set("issue", issue);
    form.set("note", note);
    for (const photo of photos) form.append("photos", photo, photo.name);
    const answer = await portalFetch<Json<FiledWarrantyClaim>>("/api/portal/warranty", { method: "POST", body: form });
    setSending(false);
    if (answer.ok) return setFiled(answer.data);
    setError(answer.message || t("page.failed"));
  }

  return (
    <s-section heading={t("warranty.heading")} data-warranty>
      <s-stack gap="base">
        {error && (
          <s-banner tone="critical" data-error>
            {error}
          </s-banner>
        )}
        {options.claims.map((c) => (
          <s-text key={c.claimId} color="subdued">
            {options.lines.find((l) => l.lineId === c.lineId)?.title}: {c.sentence}
          </s-text>
        ))}
        {claimable.length > 0 && (
          <>
            <s-select
              label={t("warranty.item")}
              value={chosen}
              onChange={(e) => setLineId((e.currentTarget as HTMLInputElement).value)}
            >
              {claimable.map((l) => (
                <s-option key={l.lineId} value={l.lineId}>
                  {l.title}
                </s-option>
              ))}
            </s-select>
            <s-select
              label={t("warranty.issue")}
              value={issue}
              onChange={(e) => setIssue((e.currentTarget as HTMLInputElement).value)}
            >
              {options.issues.map((i) => (
                <s-option key={i.issue} value={i.issue}>
                  {i.label}
                </s-option>
              ))}
            </s-select>
            <s-text-area
              label={t("warranty.note")}
              value={note}
              maxLength={1000}
              onChange={(e) => setNote((e.currentTarget as HTMLInputElement).value)}
            />
            <s-drop-zone
              label={t("warranty.photos")}
              accept="image/*"
              multiple
              onChange={(e) => setPhotos([...((e.currentTarget as unknown as { files?: File[] }).files ?? [])])}
            />
            <s-button variant="secondary" loading={sending} onClick={() => void submit()} data-warranty-submit>
              {t("warranty.submit")}
            </s-button>
          </>
        )}
      </s-stack>
    </s-section>
  );
}
