// Copies GOV.UK Frontend's browser script next to the compiled stylesheet.
import { copyFileSync, mkdirSync } from "node:fs";

const target = "web/static/build";
mkdirSync(target, { recursive: true });
copyFileSync(
  "node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js",
  `${target}/govuk-frontend.min.js`,
);
