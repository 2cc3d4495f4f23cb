// The core's façade: the one API that both the CLI and the language server call.
// Pure: no fs, no process, no console, no vscode (checked by test/architecture.test.ts).
export * from '../../../grammar/src/ast.js';
export { parse } from '../../../grammar/src/parser.js';
export { Workspace, Analysis, type FileAnalysis } from './workspace/workspace.js';
export { parseConfig, configDiagnostic, leavesProject, DEFAULT_CONFIG, MAX_CONFIG_CHARS, type ProjectConfig } from './workspace/config.js';
export { type Diagnostic, type Severity, type Fix, type TextEdit, type RelatedInformation } from './diagnostics/diagnostic.js';
export { CODES, type DiagnosticCode, type CodeInfo } from './diagnostics/codes.js';
export { LineIndex, type Position } from './text/line-index.js';
export * as budget from './budget/budget.js';
export { BLOCKS, blockSpec, type BlockSpec, type AttributeSpec, type SymbolKind } from './language/blocks.js';
export { format } from './format/format.js';
// The editor features (pure functions of an Analysis and an offset), for the language server.
export * from './ide/index.js';
export type * as model from './model/model.js';
export type { NormalizedModel, SourceMap, SourceLocation } from './model/model.js';
export { SourceIndex, type SourceIndexWire } from './model/source-index.js';
export { modelId, parseId, sourceKey, ID_KINDS } from './model/model.js';
export { buildModel } from './model/build.js';
export type { PaceSymbol, Reference, SemanticModel } from './linking/linker.js';
export { seriesKey, type Series, type SampleData, type DataIssue } from './evaluate/series.js';
export { preview, ruleText, type PreviewOptions, type PreviewResult, type PreviewIssue, type SloPreview, type SlaPreview, type KpiPreview } from './evaluate/preview.js';
export { previewJson, rfc3339, type PreviewJson, type IssueLocation } from './evaluate/preview-json.js';
export { planPreview, planSpan, refineSpan, spanFromAnswers, previewFromAnswers, type SpanPlan, type BackendPlan, type BackendQuery, type BackendAnswers, type BackendInfo, type BackendSemantics, type InstantAnswer, type RangeAnswer } from './evaluate/backend-plan.js';
export { parseWhatIf, whatIf, whatIfJson, whatIfView, whatIfErrorText, whatIfOutsideData, type WhatIfSpec, type WhatIfResult, type WhatIfView } from './evaluate/whatif.js';
export { previewCharts, type Chart, type PreviewCharts, type ChartOptions } from './evaluate/charts.js';
export { previewHtml, escapeHtml, scriptJson, type HtmlAssets, type HtmlPageOptions } from './report/html.js';
export * from './report/index.js';
export { printModel, printModelChecked, printModelFiles, printConfig, PrintError } from './model/print.js';
export * as evaluate from './evaluate/index.js';
export * as generate from './generate/index.js';
export * as diff from './diff/index.js';
export { importProject, type ImportedProject } from './import-project.js';
export { IMPORT_FORMATS, type ImportFormat, type ImportMessage, type ImportSource } from './import/index.js';
export { importTooLargeMessage, MAX_IMPORT_CHARS } from './import/bounds.js';
