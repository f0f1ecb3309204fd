/**
 * Sends the Shopify library's calls to a shop (token exchange, Admin GraphQL),
 * addressed to https://{shop}.myshopify.com, to the store emulator instead.
 * Installed by the demo launcher before the app loads; production never runs it.
 */
export function routeShopTrafficTo(shopDomain: string, emulatorOrigin: string): void {
  const original = globalThis.fetch;
  const target = new URL(emulatorOrigin);
  globalThis.fetch = (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    if (url.hostname !== shopDomain) return original(input, init);
    url.protocol = target.protocol;
    url.host = target.host;
    return input instanceof Request ? original(new Request(url, input), init) : original(url, init);
  };
}
