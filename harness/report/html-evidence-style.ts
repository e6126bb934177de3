// Styles of the evidence page.

export const evidencePageStyle = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 16px 24px; color: #1d2330; }
h1 { font-size: 18px; margin: 0; word-break: break-all; } h2 { font-size: 15px; margin: 18px 0 6px; }
.overall { font-weight: 600; margin: 4px 0; } .valid { color: #1a7f37; } .invalid { color: #c62828; } .unknown { color: #9a6700; }
table { border-collapse: collapse; } td, th { padding: 2px 8px; border-bottom: 1px solid #e3e6ea; text-align: left; vertical-align: top; }
#verdicts td:first-child { font-weight: 600; }
#anomaly { border: 2px solid #c62828; background: #fff5f5; padding: 8px 12px; border-radius: 4px; }
#anomaly .summary { font-weight: 600; color: #c62828; margin: 0 0 6px; }
.legend { margin: 2px 0 6px; color: #555; } .swatch { display: inline-block; width: 14px; height: 10px; margin: 0 4px 0 10px; border-radius: 2px; vertical-align: middle; }
.swatch.ok { background: #4c9a6a; } .swatch.fail { background: #9aa3ad; } .swatch.info { background: #e3a33b; }
.swatch.anomaly { background: #fff; outline: 3px solid #d32f2f; } .swatch.fault { background: rgba(220, 60, 60, 0.15); }
.chart { min-height: 120px; }
`;
