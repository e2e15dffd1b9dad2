// The trusted end of a JavaScript program's own tests (MultiPL-E, HumanEval-X): run as
// `node tests.js main.js`, where main.js is the program, its tests, then a call of the run's end
// function. The run's token ("<end function> <secret>", its whole stdin) is read before the
// program loads; the secret stays in this module's scope, out of the program's reach. It is
// printed when the event loop drains by itself after the end function ran: never after
// process.exit, an uncaught error, a top-level return that skipped the tests, or a kill.
"use strict";
const fs = require("fs");
const path = require("path");

const [endName, secret] = fs.readFileSync(0, "latin1").trim().split(" ");
const write = process.stdout.write.bind(process.stdout);
// The assertion modules the tests use, frozen before the program can stub their checks out.
for (const name of ["assert", "assert/strict"]) {
  const assert = require(name);
  Object.freeze(assert);
  Object.freeze(assert.strict);
}
let ended = false;
Object.defineProperty(globalThis, endName, { value: () => void (ended = true) });
require(path.resolve(process.argv[2]));
process.once("beforeExit", () => {
  if (ended && !process.exitCode) write("\n" + secret + "\n");
});
