// Builds the objects of a result the module wrote as a tape (see
// src/tape.rs): one list of numbers, each value a tag and its operands,
// over one UTF-8 text that holds every string (its offsets in UTF-16
// units, so that the decoded text is sliced). One call per result,
// instead of several per member.

const NULL = 0;
const FALSE = 1;
const TRUE = 2;
const NUMBER = 3;
const STRING = 4;
const ARRAY = 5;
const OBJECT = 6;
const NAME = 7;
const SPAN = 8;
// The query tree's nodes (src/tree.rs), each built as an object literal.
const QUERY = 9;
const AND = 10;
const OR = 11;
const NOT = 12;
const BROKEN = 13;
const PHRASE = 14;
const NUMBER_VALUE = 15;
const BOOLEAN_VALUE = 16;
const NULL_VALUE = 17;
const STRING_VALUE = 18;
const CURRENT_USER = 19;
const CURRENT_RELEASE = 20;
const NULL_REFERENCE = 21;
const CROSS_FILTER = 22;
const TOKEN = 23;
const ODATA_NODE = 24;

// `ignoreBOM`: a string that starts with U+FEFF keeps it.
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * Member names (and enum variants) by number, kept across results: one
 * table per module instance, by its memory. Both entries of the package
 * import this one file, and a page may load both (the embed does): each
 * instance numbers its names its own way.
 */
const tables = new WeakMap();

let names;
let tape;
let text;
let at;

/** A span written as two operands. */
function span() {
  const span = { start: tape[at], end: tape[at + 1] };
  at += 2;
  return span;
}

/** A string written as two operands (its offsets in the text). */
function str() {
  const s = text.slice(tape[at], tape[at + 1]);
  at += 2;
  return s;
}

/** A count, then that many values. */
function list() {
  const length = tape[at++];
  const array = [];
  for (let i = 0; i < length; i++) array.push(value());
  return array;
}

/** A phrase's members after its tag (see PHRASE in src/tape.rs). */
function phrase() {
  const field = { name: str(), span: span() };
  const operator = { kind: value(), span: span() };
  switch (tape[at++]) {
    case 0:
      return { type: "phrase", field, operator, value: value(), span: span() };
    case 1:
      return { type: "phrase", field, operator, values: list(), span: span() };
    default:
      return { type: "phrase", field, operator, low: value(), high: value(), span: span() };
  }
}

function value() {
  switch (tape[at++]) {
    case NULL:
      return null;
    case FALSE:
      return false;
    case TRUE:
      return true;
    case NUMBER:
      return tape[at++];
    case STRING: {
      const s = text.slice(tape[at], tape[at + 1]);
      at += 2;
      return s;
    }
    case NAME:
      return names[tape[at++]];
    case SPAN:
      return span();
    case QUERY:
      return { expr: value(), span: span() };
    case AND:
      return { type: "and", operands: list(), span: span() };
    case OR:
      return { type: "or", operands: list(), span: span() };
    case NOT:
      return { type: "not", operand: value(), span: span() };
    case BROKEN:
      return { type: "error", parts: list(), span: span() };
    case PHRASE:
      return phrase();
    case NUMBER_VALUE:
      return { type: "number", text: str(), span: span() };
    case BOOLEAN_VALUE:
      return { type: "boolean", value: tape[at++] === 1, span: span() };
    case NULL_VALUE:
      return { type: "null", span: span() };
    case STRING_VALUE:
      return { type: "string", value: str(), kind: value(), span: span() };
    case CURRENT_USER:
      return { type: "current_user", span: span() };
    case CURRENT_RELEASE:
      return { type: "current_release", span: span() };
    case NULL_REFERENCE:
      return { type: "null_reference", span: span() };
    case CROSS_FILTER:
      return { type: "cross_filter", filter: value(), span: span() };
    case TOKEN:
      return { kind: value(), span: span() };
    case ODATA_NODE:
      return { kind: value(), label: str(), span: span(), children: list() };
    case ARRAY:
      return list();
    case OBJECT: {
      const length = tape[at++];
      const object = {};
      for (let i = 0; i < length; i++) {
        if (tape[at] === NAME) {
          const name = names[tape[at + 1]];
          at += 2;
          object[name] = value();
          continue;
        }
        // A key from data (a map's): `__proto__` must become an own
        // member, as JSON.parse makes it, not the object's prototype.
        const name = text.slice(tape[at + 1], tape[at + 2]);
        at += 3;
        if (name === "__proto__") {
          Object.defineProperty(object, name, {
            value: value(),
            writable: true,
            enumerable: true,
            configurable: true,
          });
        } else {
          object[name] = value();
        }
      }
      return object;
    }
    default:
      throw new Error(`octane-kit: unknown tag ${tape[at - 1]} in a result`);
  }
}

/**
 * `name` as the engine's own copy of it: a property key the engine looks up
 * once, rather than at every object it names.
 */
function internalized(name) {
  return Object.keys({ [name]: 0 })[0];
}

/**
 * The value written at `tapeAt` (`tapeLength` numbers) over the text at
 * `textAt` (`textLength` bytes of UTF-8), in the module's `memory`.
 */
export function decodeTape(memory, tapeAt, tapeLength, textAt, textLength) {
  names = tables.get(memory);
  if (names === undefined) tables.set(memory, (names = []));
  const buffer = memory.buffer;
  tape = new Float64Array(buffer, tapeAt, tapeLength);
  text = textLength === 0 ? "" : utf8.decode(new Uint8Array(buffer, textAt, textLength));
  // The names new to this side, after the value.
  at = tape[0];
  const fresh = tape[at++];
  for (let i = 0; i < fresh; i++) {
    names[tape[at]] = internalized(text.slice(tape[at + 1], tape[at + 2]));
    at += 3;
  }
  at = 1;
  try {
    return value();
  } finally {
    tape = undefined;
    text = undefined;
    names = undefined;
  }
}
