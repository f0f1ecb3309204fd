/** Admin API documents of the background gateway; tests validate every tagged document against the 2026-10 schema. */

/** The cheapest question a shop's Admin API can answer: is it back after an outage? */
export const PROBE_QUERY = `#graphql
  query Probe {
    shop {
      id
    }
  }
`;
