import {
  execute,
  getNamedType,
  GraphQLError,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import type { Node } from "../store";
import { connection, type ConnectionArgs } from "./connection";

// Resolvers narrow the context to what they need (the emulator passes a StoreContext).
export type Resolver = GraphQLFieldResolver<any, any, any>;
export type ResolverMap = Record<string, Record<string, Resolver>>;

export interface EmulatorContext {
  shopDomain: string;
  [key: string]: unknown;
}

export interface GraphQLResponse {
  data?: unknown;
  errors?: Array<{ message: string; locations?: unknown; path?: unknown; extensions?: Record<string, unknown> }>;
  extensions?: { cost: QueryCost };
}

export interface QueryCost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
}

/** Shopify's (graphql-ruby) wording for the validation errors clients most often hit. */
function shopifyStyle(error: GraphQLError) {
  const base = {
    message: error.message,
    locations: error.locations,
    extensions: { code: "GRAPHQL_VALIDATION_FAILED" } as Record<string, unknown>,
  };
  const undefinedField = /^Cannot query field "(\w+)" on type "(\w+)"/.exec(error.message);
  if (undefinedField) {
    const [, fieldName, typeName] = undefinedField;
    return {
      ...base,
      message: `Field '${fieldName}' doesn't exist on type '${typeName}'`,
      extensions: { code: "undefinedField", typeName, fieldName },
    };
  }
  const unknownArg = /^Unknown argument "(\w+)" on field "(\w+)\.(\w+)"/.exec(error.message);
  if (unknownArg) {
    const [, argumentName, typeName, fieldName] = unknownArg;
    return {
      ...base,
      message: `Field '${fieldName}' doesn't accept argument '${argumentName}'`,
      extensions: {
        code: "argumentNotAccepted",
        name: fieldName,
        typeName: "Field",
        argumentName,
        parentTypeName: typeName,
      },
    };
  }
  return base;
}

/** The default resolver: a store object's own property, arrays as connections; anything else fails loudly. */
function defaultResolverFor(resolvers: ResolverMap): Resolver {
  return (source, args, context, info) => {
    const custom = resolvers[info.parentType.name]?.[info.fieldName];
    if (custom) return custom(source, args, context, info);
    if (source && typeof source === "object" && Object.prototype.hasOwnProperty.call(source, info.fieldName)) {
      const value = (source as Record<string, unknown>)[info.fieldName];
      if (Array.isArray(value) && getNamedType(info.returnType).name.endsWith("Connection")) {
        return connection(value as Node[], args as ConnectionArgs);
      }
      return value;
    }
    throw new GraphQLError(`The store emulator does not implement ${info.parentType.name}.${info.fieldName}`, {
      extensions: { code: "NOT_IMPLEMENTED", typeName: info.parentType.name, fieldName: info.fieldName },
    });
  };
}

/**
 * Shopify's calculated query cost, simplified: 1 per object, connections cost
 * 2 plus their page size times the cost of a node, mutations 10.
 */
export function requestedCost(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): number {
  const fragments = new Map(
    document.definitions
      .filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d.selectionSet] as const),
  );
  const argValue = (node: { value: { kind: string; value?: string; name?: { value: string } } }) =>
    node.value.kind === Kind.VARIABLE ? Number(variables[node.value.name!.value] ?? 0) : Number(node.value.value ?? 0);
  const cost = (set: SelectionSetNode | undefined): number => {
    if (!set) return 0;
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) total += cost(fragments.get(selection.name.value));
      else if (selection.kind === Kind.INLINE_FRAGMENT) total += cost(selection.selectionSet);
      else if (selection.selectionSet) {
        const size = selection.arguments?.find((a) => a.name.value === "first" || a.name.value === "last");
        const child = cost(selection.selectionSet);
        total += size ? 2 + argValue(size as never) * Math.max(child, 1) : 1 + child;
      }
    }
    return total;
  };
  return (operation.operation === "mutation" ? 10 : 0) + cost(operation.selectionSet);
}

/** Shopify's cost bucket: 2,000 points restoring 100/s on standard plans (Plus: 20,000 and 1,000/s). */
export class ThrottleBucket {
  maximumAvailable = 2000;
  restoreRate = 100;
  private available = 2000;
  private updatedAt = Date.now();
  /** Requests to answer THROTTLED no matter the bucket (a test knob). */
  forced = 0;

  configure(limits: { maximumAvailable: number; restoreRate: number }): void {
    this.maximumAvailable = limits.maximumAvailable;
    this.restoreRate = limits.restoreRate;
    this.available = limits.maximumAvailable;
  }

  status() {
    const now = Date.now();
    this.available = Math.min(
      this.maximumAvailable,
      this.available + ((now - this.updatedAt) / 1000) * this.restoreRate,
    );
    this.updatedAt = now;
    return {
      maximumAvailable: this.maximumAvailable,
      currentlyAvailable: Math.floor(this.available),
      restoreRate: this.restoreRate,
    };
  }

  take(cost: number): boolean {
    this.status();
    if (this.forced > 0) {
      this.forced--;
      return false;
    }
    if (cost > this.available) return false;
    this.available -= cost;
    return true;
  }
}

/** Parsed and validated documents by query text: clients send the same few documents over and over. */
const checked = new Map<string, { document: DocumentNode } | { errors: GraphQLResponse["errors"] }>();

function check(schema: GraphQLSchema, query: string) {
  let result = checked.get(query);
  if (!result) {
    try {
      const document = parse(query);
      const errors = validate(schema, document);
      result = errors.length ? { errors: errors.map(shopifyStyle) } : { document };
    } catch (error) {
      const e = error as GraphQLError;
      result = { errors: [{ message: e.message, locations: e.locations, extensions: { code: "PARSE_ERROR" } }] };
    }
    if (checked.size > 1000) checked.clear();
    checked.set(query, result);
  }
  return result;
}

export async function runGraphQL(options: {
  schema: GraphQLSchema;
  resolvers: ResolverMap;
  query: unknown;
  variables?: unknown;
  operationName?: unknown;
  context: EmulatorContext;
  bucket: ThrottleBucket;
}): Promise<GraphQLResponse> {
  const { schema, resolvers, context, bucket } = options;
  if (typeof options.query !== "string" || !options.query.trim()) {
    return { errors: [{ message: "No query string was present", extensions: { code: "BAD_REQUEST" } }] };
  }
  const checkedDocument = check(schema, options.query);
  if ("errors" in checkedDocument) return { errors: checkedDocument.errors };
  const { document } = checkedDocument;

  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = options.operationName
    ? operations.find((o) => o.name?.value === options.operationName)
    : operations[0];
  if (!operation)
    return {
      errors: [{ message: "No operation named " + String(options.operationName), extensions: { code: "BAD_REQUEST" } }],
    };
  const variables = (options.variables ?? {}) as Record<string, unknown>;
  const requested = requestedCost(document, operation, variables);
  if (requested > 1000) {
    return {
      errors: [
        {
          message: `Query cost is ${requested}, which exceeds the single query max cost limit (1000).`,
          extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: 1000 },
        },
      ],
    };
  }
  if (!bucket.take(requested)) {
    return {
      errors: [
        {
          message: "Throttled",
          extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
        },
      ],
      extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: bucket.status() } },
    };
  }
  const result = await execute({
    schema,
    document,
    operationName: operation.name?.value,
    variableValues: variables,
    contextValue: context,
    rootValue: {},
    fieldResolver: defaultResolverFor(resolvers),
  });
  return {
    ...(result.errors ? { errors: result.errors.map((e) => e.toJSON()) } : {}),
    data: result.data ?? null,
    extensions: {
      cost: { requestedQueryCost: requested, actualQueryCost: requested, throttleStatus: bucket.status() },
    },
  };
}
