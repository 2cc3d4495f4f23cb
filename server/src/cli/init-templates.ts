// What `pace init` writes. A test checks that the result checks clean.
export const INIT_CONFIG = `# Pace project configuration: which .pace files form the project (globs relative to this
# file), and its settings. \`pace check\` checks this file too.
version: 1
files:
  - "**/*.pace"
`;

export const INIT_EXAMPLE = `/// An example service: rename it, point the selectors at your metrics, and run \`pace check\`.
service api {
  title = "API"
  owner = "platform-team"
  tier  = high

  /// Requests that did not fail on the server side.
  sli availability = ratio {
    good  = http_requests_total{job="api", code!~"5.."}
    total = http_requests_total{job="api"}
  }

  slo availability {
    sli       = availability
    objective = 99.9%
    window    = 30d
    alerting  = default
  }
}
`;
