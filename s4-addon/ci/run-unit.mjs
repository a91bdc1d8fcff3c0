// Runs every ABAP Unit test method that the transpiler found (its own
// list, in output/index.mjs), goes on after a failure, and ends with the
// count: "N passed, N failed". Exit code 1 when a test failed or none ran.
import fs from "node:fs";
import path from "node:path";
import {pathToFileURL} from "node:url";

const output = path.resolve(process.argv[2] ?? "output");
const index = fs.readFileSync(path.join(output, "index.mjs"), "utf8");
const found = index.match(/function getData\(\) \{[\s\S]*?\n {2}return ret;\n\}/);
if (!found) {
  console.error("no test list in " + path.join(output, "index.mjs") + ": has the transpiler changed its runner?");
  process.exit(1);
}
const getData = new Function(found[0] + "\nreturn getData();");

await import(pathToFileURL(path.join(output, "init.mjs")).href);

let passed = 0;
let failed = 0;
const failures = [];
const started = Date.now();
for (const test of getData()) {
  const module = await import(pathToFileURL(path.join(output, test.filename)).href);
  const testClass = module[test.localClass];
  if (testClass.class_setup) await testClass.class_setup();
  for (const method of test.methods) {
    const name = `${test.objectName} ${test.localClass}->${method.name}`;
    if (method.skip) {
      failed++;
      failures.push(`${name}: skipped in abap_transpile.json (not allowed)`);
      continue;
    }
    try {
      const instance = await (new testClass()).constructor_();
      const friends = instance.FRIENDS_ACCESS_INSTANCE;
      if (friends.setup) await friends.setup();
      await friends[method.name]();
      if (friends.teardown) await friends.teardown();
      passed++;
      console.log(`ok   ${name}`);
    } catch (e) {
      failed++;
      const text = e?.text?.get?.() ?? e?.stack ?? String(e);
      failures.push(`${name}: ${text}`);
      console.log(`FAIL ${name}`);
    }
  }
  if (testClass.class_teardown) await testClass.class_teardown();
}
for (const f of failures) {
  console.log("\n" + f);
}
console.log(`\nABAP Unit on Node.js: ${passed + failed} test methods in ${Date.now() - started} ms`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
