// Builds the page sway serve embeds into crates/sway-serve/assets/: the bundled
// script, the page, its styles and the world map with ISO 3166 alpha-3 ids. The
// output is committed, so `cargo build` needs no npm; `--check` rebuilds into a
// temporary folder and fails if the committed files differ (CI runs it).
import { build } from "esbuild";
import { createRequire } from "node:module";
import { mkdtempSync, readFileSync, writeFileSync, readdirSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const assets = join(here, "..", "crates", "sway-serve", "assets");
const check = process.argv.includes("--check");
const out = check ? mkdtempSync(join(tmpdir(), "sway-web-")) : assets;
mkdirSync(out, { recursive: true });
const require = createRequire(import.meta.url);

await build({
  entryPoints: [join(here, "src", "main.js")],
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2020",
  legalComments: "eof",
  outfile: join(out, "app.js"),
  logLevel: "warning",
});

for (const f of ["index.html", "app.css"]) writeFileSync(join(out, f), readFileSync(join(here, "src", f)));

// Natural Earth 1:110m countries (world-atlas), keyed by alpha-3 as sway's records
// are, with the land object dropped (the page draws countries only).
const world = require("world-atlas/countries-110m.json");
const iso = require("i18n-iso-countries");
const geometries = world.objects.countries.geometries
  .map((g) => ({ ...g, id: g.id === undefined ? undefined : iso.numericToAlpha3(g.id) || g.id }));
const slim = { ...world, objects: { countries: { ...world.objects.countries, geometries } } };
writeFileSync(join(out, "world.json"), JSON.stringify(slim));

if (check) {
  let stale = [];
  for (const f of readdirSync(out)) {
    let committed;
    try {
      committed = readFileSync(join(assets, f));
    } catch {
      committed = null;
    }
    if (!committed || !committed.equals(readFileSync(join(out, f)))) stale.push(f);
  }
  if (stale.length) {
    console.error(`crates/sway-serve/assets is stale (${stale.join(", ")}): run \`npm run build\` in web/ and commit`);
    process.exit(1);
  }
  console.log("crates/sway-serve/assets matches web/src");
}
