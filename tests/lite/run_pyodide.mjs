// Runs a Python script in Pyodide under Node, offline, as xlwings Lite would run our code.
//
//   node tests/lite/run_pyodide.mjs WHEEL_DIR SCRIPT.py [NAME=PATH ...]
//
// Pyodide itself comes from the npm package beside this file (package-lock.json pins it).
// micropip is loaded from WHEEL_DIR (the npm package does not ship it), then every other wheel
// in WHEEL_DIR is installed with micropip from the in-memory file system, without dependencies.
// NAME=PATH copies a local file to /home/pyodide/NAME (e.g. the Lite main.py). Any http(s)
// request is refused and reported: nothing is fetched from a CDN or an index at run time.
// Python's stdout goes to our stderr; the script leaves its answer, a JSON text, in the global
// RESULT, which is printed as the only line on stdout, with the seconds Pyodide took to start.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "pyodide";

const [wheelDir, script, ...files] = process.argv.slice(2);
if (!wheelDir || !script) {
  console.error("usage: node run_pyodide.mjs WHEEL_DIR SCRIPT.py [NAME=PATH ...]");
  process.exit(2);
}

const refused = [];
const localFetch = globalThis.fetch;
globalThis.fetch = async (resource, options) => {
  const url = String(resource?.url ?? resource);
  if (/^[a-z]+:\/\//i.test(url) && !url.startsWith("file://")) {
    refused.push(url);
    throw new Error(`offline: refused to fetch ${url}`);
  }
  return localFetch(resource, options);
};

const started = performance.now();
const here = path.dirname(fileURLToPath(import.meta.url));
const pyodide = await loadPyodide({
  indexURL: path.join(here, "node_modules", "pyodide") + path.sep,
  stdout: (line) => console.error(line),
  stderr: (line) => console.error(line),
});
const startup = (performance.now() - started) / 1000;

const wheels = fs.readdirSync(wheelDir).filter((name) => name.endsWith(".whl")).sort();
const micropip = wheels.find((name) => name.startsWith("micropip-"));
if (!micropip) throw new Error(`no micropip wheel in ${wheelDir}`);
await pyodide.loadPackage(path.resolve(wheelDir, micropip), { messageCallback: () => {} });
pyodide.FS.mkdirTree("/wheels");
const installed = [];
for (const name of wheels.filter((name) => name !== micropip)) {
  pyodide.FS.writeFile(`/wheels/${name}`, fs.readFileSync(path.join(wheelDir, name)));
  installed.push(`emfs:/wheels/${name}`);
}
for (const spec of files) {
  const [name, source] = spec.split(/=(.*)/s);
  pyodide.FS.writeFile(`/home/pyodide/${name}`, fs.readFileSync(source));
}
pyodide.globals.set("WHEELS", pyodide.toPy(installed));
await pyodide.runPythonAsync("import micropip\nawait micropip.install(WHEELS, deps=False)");
await pyodide.runPythonAsync(fs.readFileSync(script, "utf8"));
const result = pyodide.globals.get("RESULT");
console.log(JSON.stringify({ startup, refused, result: JSON.parse(result) }));
