// The page's script, made from the same compiled modules that draw the .svg files in Node.
//
// Each browser module's exports are written out one by one: a function as its own source text
// (Function.prototype.toString), any other value as a JSON literal. Everything goes into one
// function scope that ends by starting the page, with d3 taken from the global that the inlined
// d3 bundle defines. This works because the browser modules follow three rules, which the
// browser test and the bundle test check by running the result:
//   - they export every function and constant they use at module level;
//   - they import other browser modules with named imports only ({ name }, never `* as` or `as`),
//     so compiled code calls each export by its own name;
//   - they reach d3 as `import * as d3 from "d3"`, so compiled code calls `d3.scaleLinear()` and
//     the page's global `d3` provides it.
// Two modules exporting different values under one name would clash, so that is rejected here.

import { isDeepStrictEqual } from "node:util";
import * as chartIndex from "./charts/index.js";
import * as eloSweep from "./charts/elo-sweep.js";
import * as eloVsBase from "./charts/elo-vs-base.js";
import * as lossCurves from "./charts/loss-curves.js";
import * as lossScatter from "./charts/loss-scatter.js";
import * as panels from "./charts/panels.js";
import * as svg from "./charts/svg.js";
import * as live from "./client/live.js";
import * as page from "./client/page.js";
import * as format from "./format.js";
import * as i18n from "./i18n.js";

/** The browser modules, by the name used in error messages. */
export const BROWSER_MODULES: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  "format.ts": format,
  "i18n.ts": i18n,
  "charts/svg.ts": svg,
  "charts/panels.ts": panels,
  "charts/elo-vs-base.ts": eloVsBase,
  "charts/elo-sweep.ts": eloSweep,
  "charts/loss-curves.ts": lossCurves,
  "charts/loss-scatter.ts": lossScatter,
  "charts/index.ts": chartIndex,
  "client/page.ts": page,
  "client/live.ts": live,
};

/** Source text of one export as a declaration of `name`. */
export function declarationOf(name: string, value: unknown, moduleName: string): string {
  if (typeof value === "function") {
    const source = Function.prototype.toString.call(value);
    if (source.startsWith("class") || source.includes("[native code]")) {
      throw new Error(`${moduleName}: export "${name}" is a class or a native function, which the page script cannot carry`);
    }
    const isDeclaration = /^(async\s+)?function\b/.test(source) && (value as { name: string }).name === name;
    return isDeclaration ? source : `const ${name} = ${source};`;
  }
  const json = JSON.stringify(value);
  if (json === undefined || !isDeepStrictEqual(JSON.parse(json), value)) {
    throw new Error(`${moduleName}: export "${name}" does not survive JSON, so the page script cannot carry it`);
  }
  return `const ${name} = ${json};`;
}

/** Collects the declarations of every module, each name once. */
export function moduleDeclarations(modules: Readonly<Record<string, Readonly<Record<string, unknown>>>>): string[] {
  const seen = new Map<string, { value: unknown; moduleName: string }>();
  const declarations: string[] = [];
  for (const [moduleName, exports] of Object.entries(modules)) {
    for (const [name, value] of Object.entries(exports)) {
      const earlier = seen.get(name);
      if (earlier !== undefined) {
        if (earlier.value === value) continue;
        throw new Error(`export "${name}" of ${moduleName} clashes with the export of the same name in ${earlier.moduleName}`);
      }
      seen.set(name, { value, moduleName });
      declarations.push(declarationOf(name, value, moduleName));
    }
  }
  return declarations;
}

/** Makes text safe inside an inline `<script>` element, which ends at the first "</script". */
export function escapeInlineScript(source: string): string {
  return source.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}

/** Builds the page script: every browser module, then the call that starts the page. */
export function buildClientScript(modules = BROWSER_MODULES): string {
  const body = moduleDeclarations(modules).join("\n");
  return escapeInlineScript(`(function () {\n"use strict";\n${body}\nstartReportPage(document, window);\n})();\n`);
}
