// Styles of the report page, inlined into its <style> element.

export const REPORT_STYLES = `
:root { color-scheme: light; --text: #222; --muted: #666; --line: #ddd; --accent: #1f77b4; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, sans-serif; color: var(--text); background: #fafafa; }
header { position: sticky; top: 0; z-index: 1; display: flex; gap: 1em; align-items: center; padding: 0.5em 1.5em;
  background: #fff; border-bottom: 1px solid var(--line); }
header nav { flex: 1; display: flex; flex-wrap: wrap; gap: 0.9em; }
header a { color: var(--accent); text-decoration: none; }
#live-status { color: var(--muted); font-size: 0.9em; }
#language-toggle { font: inherit; padding: 0.25em 0.9em; border: 1px solid var(--accent); border-radius: 4px; background: #fff;
  color: var(--accent); cursor: pointer; }
main { max-width: 1040px; margin: 0 auto; padding: 1em 1.5em 4em; }
h1 { font-size: 1.6em; margin: 0.6em 0; }
h2 { font-size: 1.3em; margin: 1.6em 0 0.5em; padding-bottom: 0.2em; border-bottom: 1px solid var(--line); }
h3, h4 { margin: 1em 0 0.4em; }
section { scroll-margin-top: 3.5em; }
table { border-collapse: collapse; margin: 0.5em 0 1em; background: #fff; }
th, td { padding: 0.3em 0.7em; border: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: #f2f2f2; font-weight: 600; }
td small { color: var(--muted); }
.notice, .warning { color: #8a4b00; }
.verdict { display: inline-block; padding: 0 0.5em; border-radius: 3px; font-size: 0.9em; white-space: nowrap; }
.verdict-improvement { background: #d8f0d8; color: #1b5e20; }
.verdict-degradation { background: #f8d7d7; color: #8b1a1a; }
.verdict-overfitting { background: #fbe9c6; color: #7a4a00; }
.verdict-no_measurable_change { background: #e8e8e8; color: #333; }
.passed { color: #1b5e20; font-weight: 600; }
.failed { color: #8b1a1a; font-weight: 600; }
.anchor { font-weight: 600; }
ul.verdicts li { margin: 0.4em 0; }
.rule { background: #fff; border-left: 3px solid var(--accent); padding: 0.5em 0.8em; }
figure { margin: 1.2em 0; background: #fff; border: 1px solid var(--line); padding: 0.6em; }
figcaption { font-weight: 600; margin-bottom: 0.4em; }
.chart-box { overflow-x: auto; }
.chart-box svg { display: block; max-width: 100%; height: auto; }
.chart-file { margin: 0.3em 0 0; font-size: 0.85em; }
details { margin: 0.4em 0; }
summary { cursor: pointer; }
pre { background: #fff; border: 1px solid var(--line); padding: 0.6em; overflow-x: auto; font-size: 12px; }
`;
