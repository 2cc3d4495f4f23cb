// The registry of every diagnostic Pace reports. Codes are stable: tools and suppressions rely on
// them. docs/diagnostics.md is generated from this table (a test fails when it is stale), and
// samples/broken/ holds one annotated file per code.
import type { Severity } from './diagnostic.js';

export interface CodeInfo {
  readonly severity: Severity;
  readonly title: string;
  readonly doc: string;
  /** Cannot be produced by user input (a bug); has no broken sample. */
  readonly internal?: boolean;
}

export const CODES = {
  'lex/unexpected-character': { severity: 'error', title: 'Unexpected character', doc: 'A character that is not part of the Pace language, such as `@` or `$`, outside a string or comment.' },
  'lex/unterminated-string': { severity: 'error', title: 'Unterminated string', doc: 'A `"` string must close on the same line; a backtick string must close before the end of the file. The string is read up to the end of the line so the rest of the file is still checked.' },
  'lex/unknown-escape': { severity: 'error', title: 'Unknown escape in a string', doc: 'In a `"` string, `\\` starts an escape: `\\"`, `\\\\`, `\\n`, `\\r` or `\\t`. Any other, such as `\\d`, `\\.` or `\\u2028`, is an error: read as the character alone, it would give another string (a regex `"\\d+"` would be `d+`). Write a backslash as `\\\\` (`"\\\\d+"`), or use a backtick string, which has no escapes: `` `\\d+` ``. One error per string, at its first unknown escape.' },
  'lex/unterminated-comment': { severity: 'error', title: 'Unterminated block comment', doc: 'A `/*` comment without its `*/`: everything to the end of the file is a comment.' },
  'parse/expected-token': { severity: 'error', title: 'Expected token', doc: 'A token the syntax requires at this point is missing, for example `over` in an alert rule. The parser inserts it and goes on.' },
  'parse/unexpected-token': { severity: 'error', title: 'Unexpected token', doc: 'A token that cannot start an attribute, a block or a rule at this point. It is skipped and parsing goes on.' },
  'parse/unclosed-block': { severity: 'error', title: 'Unclosed block', doc: "A block's `{` has no matching `}`. A top-level block (`service`, `alerting`, `objective`) that starts at the beginning of a line ends the unclosed block, so later blocks are still checked. Inside a top-level block whose braces do not balance, indentation decides which inner block is unclosed: it ends before a line that starts, at its own indentation or left of it, with `sli`, `slo`, `sla` or `kpi` and a name (these blocks never nest), or before a `}` that starts a line left of it, aligned with an enclosing block (whose `}` that is). The error is reported once, at the `{` of the block left open. Likewise, in a top-level block with one `}` too many, a `}` that starts a line right of the block it would close is the extra one: `parse/unexpected-token` there, and nothing else." },
  'parse/too-deep': { severity: 'error', title: 'Nested too deeply', doc: "More than 256 levels of `{`, `[` and `(` (counted together, outside strings and comments). Real files nest fewer than ten; such depth is generated or corrupted text, and reading it would overflow the parser's stack. The top-level block that holds it is not read (so names it declares are unknown elsewhere); the error points at the first bracket past the limit, and the rest of the file is checked." },
  'parse/too-many-errors': { severity: 'error', title: 'Too many syntax errors', doc: 'More than 1,000 syntax errors in one file: it is not Pace (random bytes, a binary file, another language, or a paste gone wrong). Instead of a thousand errors, one: at the first error, which it quotes. The file is not checked further and declares nothing. Fix the first error, or leave the file out of the project (`exclude` in pace.yaml).' },
  'parse/internal-error': { severity: 'error', title: 'Internal parser error', doc: 'The parser failed on this file. This is a bug in Pace; please report it with the file.', internal: true },
  'check/invalid-number': { severity: 'error', title: 'Invalid number or unit', doc: 'A number with letters that are not a unit. Durations are whole numbers of `ms`, `s`, `m`, `h`, `d` or `w`, combined as in `1h30m`; percentages end in `%`.' },
  'check/unknown-block': { severity: 'error', title: 'Unknown block', doc: 'A block keyword that does not exist, or does not exist at this level. The message suggests the closest keyword.' },
  'check/missing-name': { severity: 'error', title: 'Missing name', doc: 'Services, SLIs, SLOs, SLAs, alerting policies, objectives and KPIs are named: `slo availability { … }`.' },
  'check/unknown-attribute': { severity: 'error', title: 'Unknown attribute', doc: 'An attribute this block does not have. Pace is strict: a misspelled key is never ignored. The message suggests the closest attribute.' },
  'check/duplicate-attribute': { severity: 'error', title: 'Duplicate attribute', doc: 'The same attribute is set twice in one block.' },
  'check/duplicate-block': { severity: 'error', title: 'Duplicate block', doc: 'A block that has no name, such as `labels { … }`, is written twice in one block. Write all its entries in one block: two would not merge, the last one would win.' },
  'check/labels-after-rule': { severity: 'warning', title: 'Labels after an alert rule apply to the whole policy', doc: 'A `labels { … }` (or `annotations { … }`) block placed after an alert rule in an `alerting` policy looks as if it belonged to the rule above it, but it applies to every rule of the policy. Put it before the rules; labels for one severity go in a `page { labels { … } }` or `ticket { … }` block.' },
  'check/duplicate-item': { severity: 'warning', title: 'Duplicate item', doc: 'A name listed twice in `depends_on`, `soft_depends_on` or `supported_by`, or an alert rule written twice in one policy: the second says nothing new. The quick fix removes it.' },
  'check/misspelt-operator': { severity: 'error', title: 'Misspelt comparison', doc: '`=>` and `=<` are not operators: `target => 80%` would read as `target = > 80%`, a different comparison. Write `>=` or `<=`; the quick fix does.' },
  'check/suspicious-matcher': { severity: 'warning', title: 'Equality matcher with a regular expression', doc: 'A `=` or `!=` label matcher whose value looks like a regular expression, such as `status="a|b"` or `code="5.."`: it matches only that exact text. Use `=~` or `!~` to match the pattern; the quick fix does.' },
  'check/missing-attribute': { severity: 'error', title: 'Missing attribute', doc: 'A required attribute is missing, for example an SLO without `objective`.' },
  'check/conflicting-attributes': { severity: 'error', title: 'Conflicting attributes', doc: 'Attributes that exclude each other, such as `good` and `bad` in one ratio SLI, or neither of them.' },
  'check/unknown-sli-kind': { severity: 'error', title: 'Unknown SLI kind', doc: 'An SLI is `ratio`, `latency`, `timeslice` or `promql`: `sli fast = latency { … }`.' },
  'check/wrong-type': { severity: 'error', title: 'Wrong type or unit', doc: 'A value of the wrong type or unit, such as `objective = 0.999` where a percentage is expected. A quick fix is offered where the intent is obvious (`0.999` → `99.9%`).' },
  'check/invalid-value': { severity: 'error', title: 'Invalid value', doc: 'A value outside the allowed set, such as `tier = urgent` (allowed: critical, high, medium, low).' },
  'check/objective-out-of-range': { severity: 'error', title: 'Objective out of range', doc: 'An objective is a percentage strictly between 0% and 100%.' },
  'check/invalid-time-zone': { severity: 'error', title: 'Invalid time zone', doc: 'The time zone of a calendar window must be a name of the IANA tz database, spelt as there, such as `"Europe/Paris"` or `"UTC"`. Abbreviations are ambiguous and not accepted (`"BST"` is British Summer Time to some and Bangladesh Standard Time to others); nor is another case (`"europe/london"`), or a link to another area (`"US/Eastern"`: write `"America/New_York"`). The quick fix offers the right spelling or the closest name.' },
  'check/invalid-regex': { severity: 'error', title: 'Invalid regular expression', doc: 'The value of a `=~` or `!~` matcher must be a regular expression RE2 accepts, as Prometheus compiles it (anchored, `^(?:…)$`, and the pattern alone must parse too): no look-arounds, no back-references, at most 1000 repetitions in `{n,m}`. RE2-only syntax is fine: `(?P<name>…)`, `\\pL`, `[[:alpha:]]`, `\\Q…\\E`. The message is RE2\'s own. The matchers inside the PromQL of `promql` SLIs are checked too, located inside the string.' },
  'check/invalid-alert-rule': { severity: 'error', title: 'Invalid alert rule', doc: 'An alert rule reads `page|ticket when burn_rate > FACTOR over LONG and SHORT [for DURATION]`.' },
  'check/alert-never-fires': { severity: 'error', title: 'Alert can never fire', doc: 'The rule\'s threshold `factor × (1 − objective)` is above 1: the error ratio can never reach it. Lower the factor or the objective.' },
  'check/alert-window-order': { severity: 'error', title: 'Alert windows out of order', doc: 'The short window of a multiwindow rule must be shorter than its long window.' },
  'check/default-alerting-unavailable': { severity: 'warning', title: 'Default alerting needs a window of 1d or more', doc: "The default policy (Sloth's catalogue for 28d and 30d windows; those windows scaled to the SLO window for any other window from 1d) cannot serve an SLO window under one day: the SLO gets no alerts. Choose a policy whose windows fit, or `alerting = none`." },
  'check/alert-window-too-long': { severity: 'error', title: 'Alert window longer than the SLO window', doc: "A rule's long window is longer than the window of an SLO that uses the policy." },
  'check/empty-policy': { severity: 'warning', title: 'Alerting policy without rules', doc: 'An alerting policy has no rule: SLOs that use it never alert.' },
  'check/sla-not-looser': { severity: 'error', title: 'SLA not looser than its SLO', doc: "An SLA is sold on top of an internal SLO and must not be breached while the SLO holds. Pace compares allowed bad time: for every length an SLA period can have (28 to 31 days for a calendar month), the most bad time an interval of that length can hold while the SLO is met, against the bad time the SLA allows. An SLA written `sli = …` is compared with every SLO on that SLI; one that guarantees it is enough. See docs/language.md, \"SLAs and their SLOs\"." },
  'check/credit-order': { severity: 'error', title: 'Credit tiers out of order', doc: 'Credit tiers go from the highest threshold to the lowest, each with a larger credit, and no threshold above the SLA objective.' },
  'check/dependency-objective': { severity: 'warning', title: 'Objective above what dependencies allow', doc: "A service's availability objective is higher than the product of the availability objectives of its hard dependencies (`depends_on`), which bounds what it can achieve. Soft dependencies (`soft_depends_on`) are not counted." },
  'check/kpi-target-unit': { severity: 'error', title: 'KPI target unit does not fit its measure', doc: 'A `ratio(a, b)` measure takes a percentage target; a measure over a `_seconds` metric takes a duration; a count takes a plain number.' },
  'check/promql-syntax': { severity: 'error', title: 'PromQL syntax error', doc: 'The PromQL of a `promql` SLI (`good`, `bad`, `total` or `error_ratio`) does not parse. `$window` stands for the rate window and is replaced by a duration (`5m`) before parsing; the first error of each expression is reported, inside the string.' },
  'check/unknown-function': { severity: 'error', title: 'Unknown function', doc: 'A KPI measure is `ratio(a, b)` or one of `avg`, `min`, `max`, `sum`, `p50`, `p90`, `p95`, `p99` of a selector.' },
  'link/duplicate-name': { severity: 'error', title: 'Duplicate name', doc: 'Two declarations of the same kind share a name in one scope: top-level names are unique per kind across the project, SLI/SLO/SLA names per service, KPI names per objective.' },
  'link/unresolved-reference': { severity: 'error', title: 'Unresolved reference', doc: 'A name that is not declared. The message suggests the closest declared name of the right kind.' },
  'link/wrong-kind': { severity: 'error', title: 'Reference to the wrong kind', doc: "A name that exists but is of another kind, such as an SLO's `sli` naming an SLO." },
  'link/dependency-cycle': { severity: 'error', title: 'Dependency cycle', doc: 'Services that depend on each other in a cycle; the message names the cycle.' },
  'link/reserved-name': { severity: 'error', title: 'Reserved name', doc: '`default` and `none` are the built-in alerting choices and cannot name a policy.' },
  'config/syntax': { severity: 'error', title: 'pace.yaml is not valid YAML', doc: 'The project configuration could not be read as YAML.' },
  'config/invalid': { severity: 'error', title: 'pace.yaml does not match its schema', doc: 'A key or value of the project configuration is not allowed by `schemas/pace-config.schema.json`.' },
} as const satisfies Record<string, CodeInfo>;

export type DiagnosticCode = keyof typeof CODES;

export function isDiagnosticCode(code: string): code is DiagnosticCode {
  return Object.prototype.hasOwnProperty.call(CODES, code);
}
