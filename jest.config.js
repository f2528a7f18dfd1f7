// Root Jest entry: every app and lib with a jest.config.js is one project.
const fs = require("node:fs");
const path = require("node:path");
const dirs = ["apps", "libs"].flatMap((top) =>
  fs.existsSync(path.join(__dirname, top)) ? fs.readdirSync(path.join(__dirname, top)).map((d) => path.join(__dirname, top, d)) : []);
module.exports = { projects: dirs.filter((d) => fs.existsSync(path.join(d, "jest.config.js"))) };
