// A fast path for YAML documents of plain JSON data: the exact text of `yaml`'s
// `new Document(value)` + `commentBefore` + `toString({ lineWidth: 0 })` (yaml 2.x defaults: block
// style, 2-space indentation, sequences indented under their key), written by string building for
// data whose every string is one that `yaml` writes plain (unquoted). For anything else it answers
// undefined and the caller asks `yaml` itself, so the bytes never depend on which path was taken
// (test/generate/yaml-text.test.ts compares both on generated and hostile data). Thousands of
// documents per run made `yaml`'s node tree and visitors most of the openslo target's time; the
// alertmanager target's route tree (comments before its items) takes it too.

import { type Document, Scalar, visit } from 'yaml';
import { escapeGoYamlBreaks, hasGoYamlBreak } from './output.js';

type Json = string | number | boolean | null | undefined | Json[] | { [k: string]: Json };

// What yaml's plainString sends to quotes: an indicator first, `: ` or ` #`, a trailing space or colon…
// eslint-disable-next-line no-control-regex
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
// …control characters, surrogates and line separators (double quotes or escapes)…
// eslint-disable-next-line no-control-regex
const SPECIAL = /[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\ufeff]/;
// …and what would read back as another type under the core schema (its null, bool, int and float
// tests, ignoring case), or starts like a document marker.
const OTHER_TYPE = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-f]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:e[-+]?[0-9]+)?|[-+]?\.inf|\.nan|~|null|true|false)$|^(?:---|\.\.\.)/i;

/** Whether yaml writes this string as a plain scalar, exactly as it is. */
export function plainSafe(s: string): boolean {
  return s.length > 0 && !NOT_PLAIN.test(s) && !SPECIAL.test(s) && !OTHER_TYPE.test(s);
}

/** A scalar's text, or undefined when it is not a plain-safe string, a finite number, a boolean or null. */
function scalar(v: Json): string | undefined {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return plainSafe(v) ? v : undefined;
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0) ? JSON.stringify(v) : undefined;
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      return undefined;
  }
}

const isMap = (v: Json): v is { [k: string]: Json } => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Whether a map has a member yaml writes (undefined values are left out). */
function hasMembers(m: { [k: string]: Json }): boolean {
  return Object.keys(m).some((k) => m[k] !== undefined);
}

// The writers push the text's pieces onto `out` and answer false (leaving `out` to be dropped) for
// anything they leave to yaml: pieces joined once are a fraction of the allocation of a rope of them.

/**
 * Comments before sequence items, by the item (a map): what `yaml` writes for a map node's
 * `commentBefore` in a block sequence. Only one-line plain text (commentLine); other comments leave
 * the document to yaml.
 */
export type ItemComments = ReadonlyMap<object, string>;

/** An item comment's line at `indent`, as yaml's stringifyComment writes it; undefined when it is not one line of plain text. */
function commentLine(c: string, indent: string): string | undefined {
  if (SPECIAL.test(c)) return undefined; // newlines, tabs, control characters, line separators
  return `${indent}${c === ' ' ? '#' : `#${c}`}\n`;
}

/** The lines of a non-empty block map at `indent` (the first line without it, for a map that opens a sequence item). */
function mapText(m: { [k: string]: Json }, indent: string, first: boolean, out: string[], cs?: ItemComments): boolean {
  let lead = first ? '' : indent;
  for (const k of Object.keys(m)) {
    const x = m[k];
    if (x === undefined) continue;
    if (!plainSafe(k)) return false;
    out.push(lead, k, ':');
    if (!valueText(x, indent, out, cs)) return false;
    lead = indent;
  }
  return true;
}

/** What follows `key:` for a value at the map's `indent`: ` scalar\n`, or a newline and the nested block. */
function valueText(x: Json, indent: string, out: string[], cs?: ItemComments): boolean {
  if (Array.isArray(x)) {
    if (!x.length) {
      out.push(' []\n');
      return true;
    }
    out.push('\n');
    return seqText(x, `${indent}  `, out, cs);
  }
  if (isMap(x)) {
    if (!hasMembers(x)) {
      out.push(' {}\n');
      return true;
    }
    out.push('\n');
    return mapText(x, `${indent}  `, false, out, cs);
  }
  const s = scalar(x);
  if (s === undefined) return false;
  out.push(' ', s, '\n');
  return true;
}

function seqText(a: Json[], indent: string, out: string[], cs?: ItemComments): boolean {
  for (const x of a) {
    if (Array.isArray(x) || x === undefined) return false; // nested sequences and holes: leave them to yaml
    if (isMap(x)) {
      const c = cs?.get(x);
      if (c) {
        const line = commentLine(c, indent);
        if (line === undefined) return false;
        out.push(line);
      }
      if (!hasMembers(x)) {
        out.push(indent, '- {}\n');
        continue;
      }
      out.push(indent, '- ');
      if (!mapText(x, `${indent}  `, true, out, cs)) return false;
      continue;
    }
    const s = scalar(x);
    if (s === undefined) return false;
    out.push(indent, '- ', s, '\n');
  }
  return true;
}

/**
 * `new Document(value)`, its `commentBefore` set to `comment` and the `commentBefore` of the map
 * items of its sequences to `items`' (by item), `.toString({ lineWidth: 0 })` — for a non-empty map
 * of plain data whose strings are all plain-safe and whose comments are plain text; undefined otherwise.
 */
export function documentText(value: { [k: string]: Json }, comment?: string, items?: ItemComments): string | undefined {
  if (!isMap(value) || !hasMembers(value)) return undefined;
  const out: string[] = [];
  if (comment) {
    // yaml's commentString: `#` before every non-empty line (a line of one space becomes `#`), then a blank line.
    if (SPECIAL.test(comment.replace(/\n/g, '')) || comment.split('\n').includes('')) return undefined;
    out.push(comment.replace(/^(?!$)(?: $)?/gm, '#'), '\n\n');
  }
  return mapText(value, '', false, out, items) ? out.join('') : undefined;
}

// eslint-disable-next-line no-control-regex
const COMMENT_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f\u0085\u2028\u2029]/g;
const safeComment = (c: string | null | undefined) => (c ? c.replace(COMMENT_UNSAFE, ' ') : c);

/**
 * Whether `yaml` (2.9) would write this string as a block scalar that does not read back as itself:
 * when its first lines before any other character are blanks and tabs (`" \n"`, `"\n \t\n"`), it
 * writes `|+` with no indentation indicator, which reads back without those blanks or does not parse
 * at all. Of the strings of up to 6 characters of ` `, `\t`, `\n`, `a`, `#`, `-`, all 179 that fail match
 * (5 characters in test/generate/yaml-text.test.ts). Those are double-quoted instead.
 */
export function blockScalarLoses(s: string): boolean {
  return /^\n*[ \t]+\n/.test(s);
}

/**
 * A `yaml` Document's text (lineWidth 0) as Go's YAML reads it: `yaml` writes U+0085, U+2028, U+2029
 * and DEL raw, even inside double quotes (output.ts). Strings that hold one are double-quoted and the
 * characters escaped; in comments, control characters and those line breaks become spaces (a `\r` or
 * a U+2028 would end the comment and start YAML). Strings `yaml` would write as a block scalar that
 * reads back as another string (blockScalarLoses) are double-quoted too.
 */
export function goYamlText(doc: Document): string {
  doc.commentBefore = safeComment(doc.commentBefore) ?? null;
  visit(doc, {
    // Every node, keys of pairs included.
    Node(_, node) {
      if (node.commentBefore) node.commentBefore = safeComment(node.commentBefore);
      if (node.comment) node.comment = safeComment(node.comment);
      if (node instanceof Scalar && typeof node.value === 'string' && (hasGoYamlBreak(node.value) || blockScalarLoses(node.value))) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return escapeGoYamlBreaks(doc.toString({ lineWidth: 0 }));
}
