/** The report's stylesheet (inline; allowed by its sha256 in the page's CSP). Dense, readable, printable. */
export const REPORT_CSS = `
:root{--bg:#f5f6f8;--panel:#fff;--ink:#1d2430;--mute:#5c6675;--line:#dde1e7;--accent:#1f5fbf;--bad:#c62828;--warn:#b26a00;--ok:#2e7d32;--hl:#fff4c2;
--mono:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;--sans:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif}
*{box-sizing:border-box}
html{scroll-padding-top:58px}
html,body{margin:0;padding:0;background:var(--bg);color:var(--ink);font:13px/1.4 var(--sans)}
.noscript{padding:24px}
header.top{position:sticky;top:0;z-index:20;display:flex;align-items:center;gap:16px;height:46px;padding:0 16px;background:#1b2635;color:#fff;box-shadow:0 1px 3px rgba(0,0,0,.25)}
header.top .brand{font-weight:700;letter-spacing:.02em}
header.top .brand span{color:#8fb4ff}
header.top .sub{color:#b9c3d1;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
header.top .grow{flex:1}
.search{position:relative}
.search input{width:280px;padding:5px 9px;border-radius:4px;border:1px solid #3b4a60;background:#0f1824;color:#fff;font:13px var(--sans)}
.search ul{position:absolute;right:0;top:32px;width:420px;max-height:60vh;overflow:auto;margin:0;padding:4px 0;list-style:none;background:#fff;color:var(--ink);border:1px solid var(--line);border-radius:4px;box-shadow:0 4px 14px rgba(0,0,0,.2)}
.search li{padding:4px 10px;cursor:pointer;display:flex;gap:8px}
.search li:hover,.search li.on{background:#e8f0fd}
.search li .k{color:var(--mute);width:52px;flex:none;font-size:11px;text-transform:uppercase;padding-top:1px}
.layout{display:flex;align-items:flex-start}
nav.side{position:sticky;top:46px;flex:none;width:178px;height:calc(100vh - 46px);overflow:auto;padding:10px 0;border-right:1px solid var(--line);background:#fbfbfc}
nav.side a{display:flex;justify-content:space-between;padding:5px 14px;color:var(--ink);text-decoration:none}
nav.side a:hover{background:#eef2f8}
nav.side a .n{color:var(--mute);font-variant-numeric:tabular-nums}
nav.side a.off{color:#9aa3ae}
main{flex:1;min-width:0;padding:14px 18px 60px}
body.with-details main{padding-right:438px}
section.card{background:var(--panel);border:1px solid var(--line);border-radius:6px;margin:0 0 14px;padding:12px 14px}
section.card>h2{margin:0 0 8px;font-size:15px;display:flex;align-items:baseline;gap:10px}
section.card>h2 small{font-weight:400;color:var(--mute);font-size:12px}
h3{font-size:13px;margin:12px 0 6px}
p.note{color:var(--mute);margin:4px 0 8px}
p.absent{color:var(--mute);font-style:italic;margin:6px 0}
.kpis{display:grid;grid-template-columns:repeat(auto-fill,minmax(128px,1fr));gap:8px;align-items:start}
.kpi.wide{grid-column:span 2}
.kpi{border:1px solid var(--line);border-radius:5px;padding:7px 9px;background:#fcfcfd}
.kpi .v{font-size:18px;white-space:nowrap;font-weight:650;font-variant-numeric:tabular-nums}
.kpi .l{color:var(--mute);font-size:11px;text-transform:uppercase;letter-spacing:.03em}
.kpi.bad .v{color:var(--bad)}.kpi.warn .v{color:var(--warn)}.kpi.ok .v{color:var(--ok)}
.mono{font-family:var(--mono);font-size:12px}
.num{text-align:right;font-variant-numeric:tabular-nums}
table.t{border-collapse:collapse;width:100%;font-size:12px}
table.t th,table.t td{padding:3px 7px;border-bottom:1px solid #edf0f3;text-align:left;vertical-align:top}
table.t th{background:#f3f5f8;font-weight:600;color:#3a4454;position:sticky;top:0;z-index:1}
table.t tr.click{cursor:pointer}
table.t tr.click:hover td{background:#f0f5ff}
.vt{border:1px solid var(--line);border-radius:4px}
.vt .head{display:flex;background:#f3f5f8;border-bottom:1px solid var(--line);font-weight:600;color:#3a4454;font-size:12px}
.vt .head div{padding:4px 7px;cursor:pointer;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;user-select:none}
.vt .head div.sorted{color:var(--accent)}
.vt .body{position:relative;overflow:auto;height:360px}
.vt .row{position:absolute;left:0;right:0;display:flex;height:24px;border-bottom:1px solid #eff1f4;cursor:pointer;font-size:12px}
.vt .row:hover{background:#f0f5ff}
.vt .row.sel{background:var(--hl)}
.vt .row div{padding:4px 7px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.vt .foot{padding:3px 8px;color:var(--mute);font-size:11px;border-top:1px solid var(--line)}
.filters{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:0 0 8px}
.filters input[type=text],.filters select{padding:3px 6px;border:1px solid #c9ced6;border-radius:3px;font:12px var(--sans);background:#fff}
.filters input[type=text]{width:220px}
.filters label{color:var(--mute);font-size:12px;display:flex;gap:4px;align-items:center}
.badge{display:inline-block;padding:0 5px;border-radius:3px;font-size:11px;line-height:16px;background:#e8ebf0;color:#394354;margin:0 3px 0 0;white-space:nowrap}
.badge.read,.badge.diagnostic,.badge.session{background:#e3f0e5;color:#245b2a}
.badge.write,.badge.io{background:#fde8d3;color:#8a4300}
.badge.program,.badge.control{background:#fbd9d9;color:#8e1b1b}
.badge.risk,.badge.bad{background:#fbd9d9;color:#8e1b1b}
.badge.safety{background:#ffe1ef;color:#8a1150}
.badge.unc{background:#fff1c2;color:#6b5200}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.graphwrap{position:relative;border:1px solid var(--line);border-radius:4px;background:#fbfcfe;height:560px;overflow:hidden}
.graphwrap svg{position:relative;width:100%;height:100%;display:block;cursor:grab}
.graphwrap canvas.dots{position:absolute;left:0;top:0;pointer-events:none}
.graphwrap .tools{position:absolute;right:8px;top:8px;display:flex;gap:6px;z-index:2}
.graphwrap .sigma{position:absolute;inset:0}
button{font:12px var(--sans);padding:3px 9px;border:1px solid #c3cad4;border-radius:3px;background:#fff;cursor:pointer;color:var(--ink)}
button:hover{background:#eef2f8}
svg text{font-family:var(--sans)}
svg .zone{cursor:pointer}
svg .zone circle.g{fill-opacity:.08;stroke-width:1.6}
svg .zone:hover circle.g{fill-opacity:.16}
svg .asset{cursor:pointer;stroke:#fff;stroke-width:.8}
svg .asset.safety{stroke:#c2185b;stroke-width:1.8}
svg .asset.hl{stroke:#111;stroke-width:2.5}
svg .conduit{cursor:pointer;stroke-linecap:round}
svg .conduit:hover{stroke-opacity:1}
svg .zlabel{font-size:calc(13px / var(--k, 1));font-weight:650;fill:#243042;pointer-events:none}
svg .zsub{font-size:calc(11px / var(--k, 1));fill:#5c6675;pointer-events:none}
svg .clabel{font-size:calc(11px / var(--k, 1));fill:#263244;font-weight:600;pointer-events:none;paint-order:stroke;stroke:#fbfcfe;stroke-width:calc(3px / var(--k, 1))}
svg .lane{fill:#f6f7f9}
svg .lane.alt{fill:#eef1f5}
svg .lanelabel{font-size:11px;font-weight:650;fill:#3a4454}
svg .xflow{fill:none;stroke:#8d99aa;stroke-opacity:.45}
svg .xflow.bad{stroke:var(--bad);stroke-opacity:.85}
svg .alabel{font-size:9.5px;fill:#3a4454;pointer-events:none}
.matrixwrap{overflow:auto;max-height:640px}
.matrix td,.matrix th{border:1px solid #e3e6eb;padding:4px 6px;font-size:11.5px;vertical-align:top}
.matrix th{background:#f3f5f8}
.matrix td.cell{cursor:pointer;min-width:90px}
.matrix td.cell:hover{background:#f0f5ff}
.matrix td.self{background:#f7f7f7}
.matrix td.risky{box-shadow:inset 3px 0 0 var(--bad)}
.conduit-block{border:1px solid var(--line);border-radius:4px;margin:0 0 10px}
.conduit-block>.ch{display:flex;gap:10px;align-items:center;padding:6px 9px;background:#f6f8fb;border-bottom:1px solid var(--line);cursor:pointer}
.pairs{color:var(--mute);font-family:var(--mono);font-size:11px}
.split{display:grid;grid-template-columns:1fr 1fr;gap:14px}
.chart svg{width:100%;height:auto;display:block}
.axis{font-size:10px;fill:#6b7483}
aside.details{position:fixed;right:0;top:46px;bottom:0;width:420px;z-index:15;background:#fff;border-left:1px solid var(--line);box-shadow:-3px 0 12px rgba(0,0,0,.08);overflow:auto;padding:12px 14px;display:none}
aside.details.open{display:block}
aside.details h2{font-size:15px;margin:0 30px 4px 0;word-break:break-all}
aside.details .close{position:absolute;right:10px;top:10px}
aside.details .kind{font-size:11px;text-transform:uppercase;color:var(--mute);letter-spacing:.04em}
dl.kv{display:grid;grid-template-columns:120px 1fr;gap:2px 10px;margin:8px 0}
dl.kv dt{color:var(--mute)}
dl.kv dd{margin:0;word-break:break-word}
a.lnk{color:var(--accent);cursor:pointer;text-decoration:none}
a.lnk:hover{text-decoration:underline}
.group{margin:0 0 12px}
.group>h3{display:flex;gap:8px;align-items:baseline}
.group>h3 .why{font-weight:400;color:var(--mute)}
.legend{display:flex;flex-wrap:wrap;gap:4px 12px;margin:6px 0;font-size:11.5px;color:#3a4454}
.heat{display:flex;gap:10px;align-items:center;margin-bottom:6px}
@media print{nav.side,header.top .search,aside.details,.graphwrap .tools{display:none}.vt .body{height:auto!important}}
`;
