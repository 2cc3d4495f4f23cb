// The evaluator: what Prometheus 2.42 computes from sample data, for SLO previews.
export * from './series.js';
export * from './select.js';
export * from './reference.js';
export * from './fast.js';
export * from './sli.js';
export * from './alerts.js';
