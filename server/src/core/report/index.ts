// The periodic service review (`pace report`): period, review, and its Markdown and HTML pages.
export { parsePeriod, rangePeriod, isoWeeksIn, PERIOD_FORMS, type ReportPeriod } from './period.js';
export { review, type ReviewOptions, type ReviewResult, type SloReview, type SlaReview, type ReviewAlert, type WorstHour, type HourSlo, type ReviewSummary } from './review.js';
export { reviewMarkdown, escapeMarkdown, type ReviewMarkdownOptions } from './review-markdown.js';
export { reviewHtml, reviewCharts, clipChart, type ReviewHtmlOptions } from './review-html.js';
