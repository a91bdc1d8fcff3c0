// Setup of the transpiled ABAP runtime for the unit tests (abap_transpile.json,
// options.setup): OPEN/READ DATASET read files relative to the working
// directory (s4-addon/), so the tests can read the golden files.
import fs from "node:fs/promises";
import path from "node:path";

const FLAGS = {INPUT: "r", OUTPUT: "w+", APPENDING: "a+", UPDATE: "r+"};

function nodeFiles(base) {
  return {
    async open(name, mode) {
      let handle;
      try {
        handle = await fs.open(path.resolve(base, name), FLAGS[mode]);
      } catch (e) {
        return {message: e.message};
      }
      return {
        async read(position, length) {
          const buffer = Buffer.alloc(length);
          const {bytesRead} = await handle.read(buffer, 0, length, position);
          return new Uint8Array(buffer.subarray(0, bytesRead));
        },
        async write(position, bytes) {
          await handle.write(bytes, 0, bytes.length, position);
        },
        async size() {
          return (await handle.stat()).size;
        },
        async close() {
          await handle.close();
        },
      };
    },
    async delete(name) {
      try {
        await fs.unlink(path.resolve(base, name));
        return true;
      } catch {
        return false;
      }
    },
  };
}

export async function setup(abap) {
  abap.context.dataset = nodeFiles(process.cwd());
}
