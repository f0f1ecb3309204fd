import { Badge, BlockStack, Card, DataTable, InlineStack, Link, List, Text, Thumbnail } from "@shopify/polaris";
import type { ReturnView } from "./return-view";

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        {children}
      </BlockStack>
    </Card>
  );
}

/** A row of photos (Shopify files) with its heading; nothing when there are none. */
function Photos({ title, photos }: { title: string; photos: ReturnView["claimPhotos"] }) {
  if (!photos.length) return null;
  return (
    <BlockStack gap="100">
      <Text as="h3" variant="headingSm">
        {title}
      </Text>
      <InlineStack gap="200">
        {photos.map((p) =>
          p.url ? (
            <Link key={p.id} url={p.url} target="_blank">
              <Thumbnail source={p.url} alt={`${p.kind} photo`} size="large" />
            </Link>
          ) : (
            <Badge key={p.id}>{`${p.kind} photo (processing)`}</Badge>
          ),
        )}
      </InlineStack>
    </BlockStack>
  );
}

/** What the return is: lines, the shopper's reason, note and photos, the verdict, the quote, the timeline. */
export function ReturnFactsCards({ view }: { view: ReturnView }) {
  return (
    <BlockStack gap="400">
      <Section title="Items">
        <DataTable
          columnContentTypes={["text", "numeric", "numeric", "numeric"]}
          headings={["Item", "Quantity", "Price paid", "Tax"]}
          rows={view.lines.map((l) => [l.title, l.quantity, l.price, l.tax])}
        />
      </Section>
      <Section title={`Reason: ${view.reason}`}>
        <Text as="p">{view.customerNote ? `“${view.customerNote}”` : "The shopper left no note."}</Text>
        <Photos title="Shopper's photos" photos={view.claimPhotos} />
        <Photos title="Inspection photos (RET-5)" photos={view.inspectionPhotos} />
        <Text as="p" tone="subdued">{`Label fee decided at request: ${view.fee} (RET-7)`}</Text>
      </Section>
      <Section title={view.verdict.eligible ? "Policy verdict now: returnable" : "Policy verdict now: not returnable"}>
        {view.verdict.lines.map((line) => (
          <BlockStack gap="100" key={line.title}>
            <Text as="h3" variant="headingSm">
              {line.title}
            </Text>
            <List>
              {line.decisions.map((d) => (
                <List.Item key={`${d.rule}-${d.message}`}>
                  <InlineStack gap="200" blockAlign="center">
                    <Badge tone={d.allowed ? "success" : "critical"}>{d.rule}</Badge>
                    <Text as="span">{d.message}</Text>
                  </InlineStack>
                </List.Item>
              ))}
            </List>
          </BlockStack>
        ))}
      </Section>
      <Section title="Refund quote">
        <DataTable columnContentTypes={["text", "numeric"]} headings={["", "Amount"]} rows={view.quote.rows} />
        <InlineStack gap="200" blockAlign="center">
          <Badge tone={view.quote.allowed ? "success" : "attention"}>{view.quote.rule}</Badge>
          <Text as="span">{view.quote.message}</Text>
        </InlineStack>
        {view.refund && (
          <Text as="p">{`Refunded ${view.refund.amount} on ${view.refund.at}; it shows on the shopper's statement between ${view.refund.window} (RET-8).`}</Text>
        )}
      </Section>
      {(view.inspection || view.answer || view.decline || view.labels.length > 0) && (
        <Section title="Decisions">
          {view.decline && <Text as="p">{`Declined (${view.decline.reason}): “${view.decline.note}”`}</Text>}
          {view.answer && (
            <Text as="p">{`Answered ${view.answer.at} (${view.answer.within ? "within" : "after"} the 24 hours, due ${view.answer.due}, RET-9): “${view.answer.text}”`}</Text>
          )}
          {view.inspection && (
            <Text as="p">{`Inspection ${view.inspection.outcome} (RET-5${view.inspection.outcome === "inauthentic" ? ", RET-11" : ""})${view.inspection.note ? `: ${view.inspection.note}` : ""}${view.inspection.restock ? ` · restocked ${view.inspection.restock.restocked}` : ""}`}</Text>
          )}
          {view.labels.map((l) => (
            <Text as="p" key={l.id}>
              {l.url ? (
                <Link url={l.url} target="_blank">
                  {l.text}
                </Link>
              ) : (
                l.text
              )}
            </Text>
          ))}
        </Section>
      )}
      <Section title="Timeline">
        <DataTable
          columnContentTypes={["text", "text"]}
          headings={["Step", "When"]}
          rows={view.timeline.map((e) => [e.label, e.at])}
        />
      </Section>
    </BlockStack>
  );
}
