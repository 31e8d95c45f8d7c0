// Build step: puts @jupyter-widgets/html-manager's standalone embed script beside the compiled report code
// (dist/cli/report/widget-embed.js), so `gradlab run --html` can draw saved widgets offline without that package
// and its dependency tree being installed with gradlab.
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(join(root, "package.json"));
const embed = join(dirname(require.resolve("@jupyter-widgets/html-manager/package.json")), "dist", "embed.js");
const target = join(root, "dist", "cli", "report", "widget-embed.js");
mkdirSync(dirname(target), { recursive: true });
copyFileSync(embed, target);
