import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

const HERE = dirname(fileURLToPath(import.meta.url));

const SCHEMA_DIR = join(HERE, "../fixtures/shopify/schemas");

/** The raw introspection JSON of a real Shopify API schema kept in the project. */
export function introspection(name: string): { data: IntrospectionQuery } {
  return JSON.parse(gunzipSync(readFileSync(join(SCHEMA_DIR, `${name}.json.gz`))).toString("utf8"));
}

const cache = new Map<string, GraphQLSchema>();

export function loadSchema(name: string): GraphQLSchema {
  let schema = cache.get(name);
  if (!schema) {
    schema = buildClientSchema(introspection(name).data);
    cache.set(name, schema);
  }
  return schema;
}
