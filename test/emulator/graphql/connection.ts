import { GraphQLError } from "graphql";

/** Cursor-paginated view of a list, the way Shopify's connections page (first/after, last/before). */
export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
  sortKey?: string | null;
  query?: string | null;
}

import type { Node } from "../store";

const encode = (index: number) => Buffer.from(JSON.stringify({ last_id: index })).toString("base64url");
const decode = (cursor: string) => {
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")).last_id;
    if (typeof value === "number") return value;
  } catch {
    /* fall through */
  }
  throw new GraphQLError(`Invalid cursor for pagination: ${cursor}`, { extensions: { code: "BAD_REQUEST" } });
};

const SORT_FIELDS: Record<string, string> = {
  ID: "id",
  CREATED_AT: "createdAt",
  UPDATED_AT: "updatedAt",
  PROCESSED_AT: "processedAt",
  TITLE: "title",
  NAME: "name",
  HAPPENED_AT: "happenedAt",
  POSITION: "position",
};

function sortValue(node: Node, field: string): string | number {
  const value = node[field];
  if (field === "id" && typeof value === "string") return Number(value.split("/").pop());
  return (value as string | number | undefined) ?? "";
}

/** Shopify search syntax, for the terms the emulator understands: `field:value`, `field:>=value`, AND-ed. */
export function matchesQuery(node: Node, query: string, fields: Record<string, (node: Node) => unknown>): boolean {
  const terms = query.match(/(?:[^\s"]+|"[^"]*")+/g) ?? [];
  return terms.every((term) => {
    if (term.toUpperCase() === "AND") return true;
    const match = /^(-)?([a-z_]+):(>=|<=|>|<)?(.+)$/.exec(term);
    if (!match)
      throw new GraphQLError(`The store emulator does not understand the search term "${term}"`, {
        extensions: { code: "NOT_IMPLEMENTED" },
      });
    const [, negate, field, op, rawValue] = match as unknown as [
      string,
      string | undefined,
      string,
      string | undefined,
      string,
    ];
    const read = fields[field];
    if (!read)
      throw new GraphQLError(`The store emulator cannot search by "${field}"`, {
        extensions: { code: "NOT_IMPLEMENTED" },
      });
    const value = rawValue.replace(/^"|"$/g, "").replace(/^'|'$/g, "");
    const actual = read(node);
    let result: boolean;
    if (op) {
      const a = typeof actual === "string" && !Number.isNaN(Date.parse(actual)) ? Date.parse(actual) : Number(actual);
      const b = Number.isNaN(Date.parse(value)) ? Number(value) : Date.parse(value);
      result = op === ">=" ? a >= b : op === "<=" ? a <= b : op === ">" ? a > b : a < b;
    } else if (Array.isArray(actual)) {
      result = actual.map((v) => String(v).toLowerCase()).includes(value.toLowerCase());
    } else {
      result = String(actual ?? "").toLowerCase() === value.toLowerCase();
    }
    return negate ? !result : result;
  });
}

export function connection(
  all: readonly Node[],
  args: ConnectionArgs,
  search?: Record<string, (node: Node) => unknown>,
) {
  const { first, last, after, before } = args;
  if (first == null && last == null) {
    throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_REQUEST" } });
  }
  if ((first ?? 0) > 250 || (last ?? 0) > 250) {
    throw new GraphQLError("The maximum page size is 250", { extensions: { code: "BAD_REQUEST" } });
  }
  let items = [...all];
  if (args.query) {
    if (!search)
      throw new GraphQLError("The store emulator does not support query on this connection", {
        extensions: { code: "NOT_IMPLEMENTED" },
      });
    items = items.filter((node) => matchesQuery(node, args.query!, search));
  }
  if (args.sortKey && args.sortKey !== "RELEVANCE") {
    const field = SORT_FIELDS[args.sortKey];
    if (!field)
      throw new GraphQLError(`The store emulator does not sort by ${args.sortKey}`, {
        extensions: { code: "NOT_IMPLEMENTED" },
      });
    items.sort((a, b) => {
      const x = sortValue(a, field);
      const y = sortValue(b, field);
      return x < y ? -1 : x > y ? 1 : 0;
    });
  }
  if (args.reverse) items.reverse();
  let start = after ? decode(after) + 1 : 0;
  let end = before ? decode(before) : items.length;
  if (first != null) end = Math.min(end, start + first);
  if (last != null) start = Math.max(start, end - last);
  const page = items.slice(start, end).map((node, i) => ({ node, cursor: encode(start + i) }));
  return {
    edges: page,
    nodes: page.map((edge) => edge.node),
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: page[0]?.cursor ?? null,
      endCursor: page.at(-1)?.cursor ?? null,
    },
  };
}
