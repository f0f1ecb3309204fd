import { parse } from "smol-toml";
// Bundled with the server at build time, so the check compares against the configuration deployed with it.
import appToml from "../../../shopify.app.toml?raw";

interface AppToml {
  webhooks?: { subscriptions?: Array<{ topics?: string[]; compliance_topics?: string[]; uri: string }> };
}

/** The webhook topics shopify.app.toml subscribes (compliance topics are not webhook subscriptions). */
export function declaredWebhookTopics(source: string = appToml): string[] {
  const toml = parse(source) as AppToml;
  return (toml.webhooks?.subscriptions ?? []).flatMap((s) => s.topics ?? []);
}
