import fc from 'fast-check';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

/**
 * Schema-aware hostile GraphQL requests for the fuzz test: documents built from the real
 * schema's fields, arguments and types (so most parse and many validate), with hostile values
 * (unicode, huge strings, injection strings, wrong types) inline or as variables, then some
 * mangled as text (cut, spliced, repeated, wrapped), and some bodies that are not GraphQL at all.
 */
export interface FuzzRequest {
  /** What is sent as the `query` member (usually a string; hostile bodies send other things). */
  query: unknown;
  variables?: unknown;
  operationName?: unknown;
  kind: 'query' | 'mutation' | 'subscription' | 'mangled' | 'garbage';
}

/** Strings an attacker tries: Cypher, SQL and template injection, paths, control and odd unicode. */
export const INJECTIONS = [
  "' OR 1=1 --",
  '" OR "1"="1',
  "x') RETURN n //",
  '"}) MATCH (n) DETACH DELETE n //',
  '`) CALL dbms.components() YIELD name RETURN name //',
  '$where',
  '{"$gt": ""}',
  '${7*7}{{7*7}}',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '\u0000\u0001\u001f',
  '\u202e\u200b\ufeff',
  'Z̴͉̈́a̶̰͝l̵̙̿g̸̞̈́o̷̠͒',
  '𝕴𝖓𝖙𝖊𝖑 🦀🧨',
  'ñandú Ωμέγα Ça 東京',
  '__proto__',
  'constructor',
  '-1',
  '9'.repeat(40),
  '2026-13-45T25:61:61Z',
  'eyJub3QiOiJhIGN1cnNvciJ9',
  'W1s',
];

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

export function hostileString(known: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...INJECTIONS) },
    { weight: 3, arbitrary: fc.constantFrom(...known) },
    { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
    // Over MAX_STRING_LENGTH (10,000), and far over it.
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 8 }).map((n) => 'Ä'.repeat(n * 4000)) },
    { weight: 1, arbitrary: fc.constantFrom(...known).map((id) => `${id}${'\u0301'.repeat(50)}`) },
  );
}

/** A value of the wrong type for whatever argument it is given to. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.string({ maxLength: 10 }),
  fc.constantFrom({ $gt: '' }, { __proto__x: 1 }, [[[[]]]], { a: { b: { c: {} } } }, [1, 'two', null]),
);

interface ValueContext {
  strings: fc.Arbitrary<string>;
  depth: number;
}

function valueFor(type: GraphQLInputType, ctx: ValueContext): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return valueFor(type.ofType, ctx);
  if (isListType(type)) {
    if (ctx.depth > 3) return fc.constant([]);
    return fc.array(valueFor(type.ofType, { ...ctx, depth: ctx.depth + 1 }), { maxLength: 4 });
  }
  if (isEnumType(type)) {
    return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...type.getValues().map((v) => v.name)) }, { weight: 1, arbitrary: fc.constantFrom('NOT_A_VALUE', 'none', '') });
  }
  if (isInputObjectType(type)) {
    if (ctx.depth > 3) return fc.constant({});
    const fields = Object.values(type.getFields());
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const field of fields) model[field.name] = valueOrWrong(field.type, { ...ctx, depth: ctx.depth + 1 });
    const required = fields.filter((f) => isNonNullType(f.type)).map((f) => f.name);
    return fc.oneof(
      { weight: 6, arbitrary: fc.record(model, { requiredKeys: required }) },
      { weight: 1, arbitrary: fc.record(model, { requiredKeys: [] }) },
    );
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'Int':
        return fc.oneof(fc.integer({ min: -5, max: 600 }), fc.constantFrom(0, -1, 2 ** 31 - 1, -(2 ** 31), 10 ** 6));
      case 'Float':
        return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -0, 1e308, -1e-308));
      case 'Boolean':
        return fc.boolean();
      case 'DateTime':
        return fc.oneof(
          fc.date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
          ctx.strings,
        );
      case '_Any':
        return fc.record({ __typename: fc.constantFrom('IntelReport', 'Operation', 'Officer', 'Unit', 'Country', 'Nope'), id: ctx.strings, code: ctx.strings }, { requiredKeys: ['__typename'] });
      default:
        return ctx.strings;
    }
  }
  return fc.constant(null);
}

function valueOrWrong(type: GraphQLInputType, ctx: ValueContext): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 9, arbitrary: valueFor(type, ctx) }, { weight: 1, arbitrary: wrongValue });
}

/** A GraphQL literal for `value`; enum names bare, everything else as GraphQL (JSON-like) syntax. */
function literal(value: unknown, type: GraphQLInputType | undefined): string {
  const named = type ? getNamedType(type) : undefined;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return named && isEnumType(named) && NAME.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return String(value);
  const inner = type && isNonNullType(type) ? type.ofType : type;
  if (Array.isArray(value)) return `[${value.map((v) => literal(v, inner && isListType(inner) ? inner.ofType : undefined)).join(', ')}]`;
  const fields = named && isInputObjectType(named) ? named.getFields() : {};
  const entries = Object.entries(value as Record<string, unknown>).filter(([key]) => NAME.test(key));
  return `{ ${entries.map(([key, v]) => `${key}: ${literal(v, fields[key]?.type)}`).join(', ')} }`;
}

interface Arg {
  name: string;
  type: GraphQLInputType;
  value: unknown;
  asVariable: boolean;
}

interface Selection {
  alias: string | null;
  field: string;
  args: Arg[];
  /** Null for a leaf; fields and inline fragments otherwise. */
  children: (Selection | { on: string; children: Selection[] })[] | null;
}

function argsFor(field: GraphQLField<unknown, unknown>, strings: fc.Arbitrary<string>): fc.Arbitrary<Arg[]> {
  if (!field.args.length) return fc.constant([]);
  const one = (arg: GraphQLArgument) =>
    fc.record({ value: valueOrWrong(arg.type, { strings, depth: 0 }), asVariable: fc.boolean(), present: fc.double({ min: 0, max: 1, noNaN: true }) }).map(
      ({ value, asVariable, present }) => (present < (isNonNullType(arg.type) ? 0.95 : 0.6) ? { name: arg.name, type: arg.type, value, asVariable } : null),
    );
  return fc.tuple(...field.args.map(one)).map((args) => args.filter((a): a is Arg => a !== null));
}

/** Fields of an object type and what they select, `depth` levels down at most. */
export class DocumentGenerator {
  private readonly cache = new Map<string, fc.Arbitrary<Selection[]>>();
  readonly strings: fc.Arbitrary<string>;

  constructor(
    private readonly schema: GraphQLSchema,
    known: string[],
  ) {
    this.strings = hostileString(known);
  }

  private selectionsOf(type: GraphQLNamedType, depth: number): fc.Arbitrary<(Selection | { on: string; children: Selection[] })[]> {
    if (isObjectType(type)) return this.fieldsOf(type, depth);
    if (isInterfaceType(type) || isUnionType(type)) {
      const possible = this.schema.getPossibleTypes(type);
      const typename: Selection = { alias: null, field: '__typename', args: [], children: null };
      type Fragment = { on: string; children: Selection[] };
      return fc
        .subarray([...possible], { minLength: 0, maxLength: Math.min(2, possible.length) })
        .chain((types): fc.Arbitrary<Fragment[]> => (types.length ? fc.tuple(...types.map((t) => this.fieldsOf(t, depth).map((children): Fragment => ({ on: t.name, children })))) : fc.constant([])))
        .map((fragments) => [typename, ...fragments]);
    }
    return fc.constant([]);
  }

  private fieldsOf(type: GraphQLObjectType, depth: number): fc.Arbitrary<Selection[]> {
    const key = `${type.name}:${depth}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const fields = Object.values(type.getFields()).filter((f) => depth > 0 || isLeafType(getNamedType(f.type)));
    const arbitrary: fc.Arbitrary<Selection[]> = fields.length
      ? fc
          .subarray(fields, { minLength: 1, maxLength: Math.min(4, fields.length) })
          .chain((chosen) => fc.tuple(...chosen.map((field) => this.fieldSelection(field, depth))))
      : fc.constant([{ alias: null, field: '__typename', args: [], children: null }]);
    this.cache.set(key, arbitrary);
    return arbitrary;
  }

  private fieldSelection(field: GraphQLField<unknown, unknown>, depth: number): fc.Arbitrary<Selection> {
    const named = getNamedType(field.type);
    const children = isLeafType(named) ? fc.constant(null) : fc.constant(null).chain(() => this.selectionsOf(named, depth - 1));
    return fc.record({
      alias: fc.option(fc.constantFrom('a', 'b', 'c', 'x1'), { freq: 4 }),
      field: fc.constant(field.name),
      args: argsFor(field, this.strings),
      children,
    });
  }

  /** A whole operation on `root` (Query, Mutation or Subscription), with its variables. */
  operation(kind: 'query' | 'mutation' | 'subscription'): fc.Arbitrary<FuzzRequest> {
    const root = kind === 'query' ? this.schema.getQueryType() : kind === 'mutation' ? this.schema.getMutationType() : this.schema.getSubscriptionType();
    const fields = Object.values(root!.getFields());
    return fc
      .subarray(fields, { minLength: 1, maxLength: Math.min(kind === 'subscription' ? 1 : 3, fields.length) })
      .chain((chosen) => fc.tuple(...chosen.map((field) => this.fieldSelection(field, 3))))
      .map((selections) => render(kind, selections));
  }

  /** Everything the fuzz test sends over HTTP. */
  httpRequest(): fc.Arbitrary<FuzzRequest> {
    return fc.oneof(
      { weight: 6, arbitrary: this.operation('query') },
      { weight: 4, arbitrary: this.operation('mutation') },
      { weight: 1, arbitrary: this.operation('subscription') },
      { weight: 3, arbitrary: fc.oneof(this.operation('query'), this.operation('mutation')).chain((request) => mangled(request)) },
      { weight: 1, arbitrary: garbage },
    );
  }

  /** Everything the fuzz test sends over the socket: mostly subscriptions, some of everything else. */
  socketRequest(): fc.Arbitrary<FuzzRequest> {
    return fc.oneof(
      { weight: 6, arbitrary: this.operation('subscription') },
      { weight: 2, arbitrary: this.operation('subscription').chain((request) => mangled(request)) },
      { weight: 1, arbitrary: this.operation('query') },
      { weight: 1, arbitrary: this.operation('mutation') },
      // The client refuses to send what the protocol forbids (a query that is no string, variables that are no object).
      { weight: 1, arbitrary: garbage.filter((r) => typeof r.query === 'string' && (r.variables === undefined || (typeof r.variables === 'object' && r.variables !== null && !Array.isArray(r.variables)))) },
    );
  }
}

function render(kind: 'query' | 'mutation' | 'subscription', selections: Selection[]): FuzzRequest {
  const definitions: string[] = [];
  const variables: Record<string, unknown> = {};
  const printSelections = (list: NonNullable<Selection['children']>): string =>
    list
      .map((s) => {
        if ('on' in s) return `... on ${s.on} { ${printSelections(s.children)} }`;
        const args = s.args.map((arg) => {
          if (!arg.asVariable) return `${arg.name}: ${literal(arg.value, arg.type)}`;
          const name = `v${definitions.length}`;
          definitions.push(`$${name}: ${String(arg.type)}`);
          if (arg.value !== undefined) variables[name] = arg.value;
          return `${arg.name}: $${name}`;
        });
        const head = `${s.alias ? `${s.alias}: ` : ''}${s.field}${args.length ? `(${args.join(', ')})` : ''}`;
        if (s.children === null) return head;
        return `${head} { ${s.children.length ? printSelections(s.children) : '__typename'} }`;
      })
      .join(' ');
  const body = printSelections(selections);
  const query = `${kind}${definitions.length ? `(${definitions.join(', ')})` : ''} { ${body} }`;
  return { query, variables, kind };
}

const JUNK = ['{', '}', '(', ')', '$', '@', '...', '#', '"', '\\', '\u0000', 'é', '🦀', '__schema { types { name } }', '@skip(if: $nope)', 'fragment f on Query { ...f }', ': :', '!', '[', 'query', '\n'];

/** The same request with its text damaged the ways a fuzzer (or an attacker) damages it. */
function mangled(request: FuzzRequest): fc.Arbitrary<FuzzRequest> {
  const text = String(request.query);
  const at = (n: number) => n % (text.length + 1);
  return fc
    .oneof(
      fc.nat().map((n) => text.slice(0, at(n))),
      fc.tuple(fc.nat(), fc.constantFrom(...JUNK)).map(([n, junk]) => `${text.slice(0, at(n))}${junk}${text.slice(at(n))}`),
      fc.tuple(fc.nat(), fc.nat({ max: 40 })).map(([n, len]) => `${text.slice(0, at(n))}${text.slice(at(n), at(n) + len).repeat(200)}${text.slice(at(n))}`),
      fc.integer({ min: 10, max: 400 }).map((depth) => `${'{ me { unit { country { units '.repeat(depth)}`),
      fc.constant(`${text} ${text}`),
      fc.constant(`${text} fragment A on Query { ...B } fragment B on Query { ...A }`),
      fc.constant(text.replace(/\{/, '{ __type(name: "IntelReport") { fields { name } } ')),
    )
    .map((query) => ({ ...request, query, kind: 'mangled' as const }));
}

/** Bodies that are not a GraphQL request at all. */
const garbage: fc.Arbitrary<FuzzRequest> = fc.oneof(
  fc.string({ maxLength: 200 }).map((query) => ({ query, kind: 'garbage' as const })),
  fc.string({ unit: 'binary', maxLength: 200 }).map((query) => ({ query, kind: 'garbage' as const })),
  fc.jsonValue().map((query) => ({ query, kind: 'garbage' as const })),
  fc.record({ query: fc.constantFrom('{ me { id } }', 'query Q { me { id } }'), variables: fc.jsonValue(), operationName: fc.jsonValue() }).map((r) => ({ ...r, kind: 'garbage' as const })),
);
