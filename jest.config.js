// Root Jest entry: every app and lib with a jest.config.js is one project.
const fs = require("node:fs");
const path = require("node:path");
const dirs = ["apps", "libs"].flatMap((top) =>
  fs.existsSync(path.join(__dirname, top))
    ? fs.readdirSync(path.join(__dirname, top)).map((d) => path.join(__dirname, top, d))
    : [],
);
// tools/ is one too (tests of the repo's own scripts, e.g. tools/scripts/api-surface).
module.exports = {
  projects: [...dirs, path.join(__dirname, "tools")].filter((d) => fs.existsSync(path.join(d, "jest.config.js"))),
};
