// Shared by the client scripts: reading the LRS to talk to, running checks, and reporting each
// check as one JSON line ({"check", "ok", "detail"}) on standard output.
"use strict";

const crypto = require("node:crypto");

// config reads the endpoint, key, secret and xAPI version from the arguments
// (ENDPOINT KEY SECRET VERSION) or, where an argument is missing, from LRS_ENDPOINT, LRS_KEY,
// LRS_SECRET and XAPI_VERSION.
function config(defaultVersion) {
  const [endpoint, key, secret, version] = process.argv.slice(2);
  const cfg = {
    endpoint: endpoint || process.env.LRS_ENDPOINT,
    key: key || process.env.LRS_KEY,
    secret: secret || process.env.LRS_SECRET,
    version: version || process.env.XAPI_VERSION || defaultVersion,
  };
  if (!cfg.endpoint || !cfg.key || !cfg.secret) {
    console.error("usage: node SCRIPT ENDPOINT KEY SECRET [VERSION] (or LRS_ENDPOINT, LRS_KEY, LRS_SECRET, XAPI_VERSION)");
    process.exit(2);
  }
  return cfg;
}

let failed = 0;

// check runs fn and prints its outcome; fn returns a detail string or throws. A check that
// depends on an earlier one still runs, and fails with its own message.
async function check(name, fn) {
  let line;
  try {
    const detail = await fn();
    line = { check: name, ok: true, detail: detail === undefined ? "" : String(detail) };
  } catch (err) {
    failed++;
    line = { check: name, ok: false, detail: err && err.message ? err.message : String(err) };
  }
  console.log(JSON.stringify(line));
}

// expect throws with msg unless cond holds.
function expect(cond, msg) {
  if (!cond) {
    throw new Error(msg);
  }
}

// canonical is value as JSON with the keys of every object sorted, so that two documents compare
// equal whatever order their keys come in.
function canonical(value) {
  return JSON.stringify(value, (_, v) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v);
}

// equal throws unless got and want are the same JSON value.
function equal(got, want, what) {
  const g = canonical(got);
  const w = canonical(want);
  if (g !== w) {
    throw new Error(`${what}: got ${g}, want ${w}`);
  }
}

// run runs the checks in main and sets the exit code: 1 when a check failed or main threw (which
// is reported as a failed check named "script").
function run(main) {
  main()
    .catch((err) => {
      failed++;
      console.log(JSON.stringify({ check: "script", ok: false, detail: String(err && err.stack ? err.stack : err) }));
    })
    .finally(() => {
      process.exitCode = failed > 0 ? 1 : 0;
    });
}

// fixture returns the agents and activities one run uses, unique to the run so that runs sharing
// an LRS do not see each other's statements.
function fixture() {
  const run = crypto.randomUUID().slice(0, 8);
  const agent = (name) => ({ objectType: "Agent", name, mbox: `mailto:${name}-${run}@example.com` });
  const activity = (name) => ({
    objectType: "Activity",
    id: `http://example.com/clients/${run}/${name}`,
    definition: { name: { "en-US": `Activity ${name}` }, type: "http://adlnet.gov/expapi/activities/lesson" },
  });
  const verb = (name) => ({ id: `http://example.com/clients/${run}/verbs/${name}`, display: { "en-US": name } });
  return {
    run,
    ana: agent("ana"),
    ben: agent("ben"),
    lesson: activity("lesson"),
    quiz: activity("quiz"),
    experienced: verb("experienced"),
    completed: verb("completed"),
    registration: crypto.randomUUID(),
    uuid: () => crypto.randomUUID(),
  };
}

// sleep lets the LRS clock move on, so that a "since" boundary falls between two writes.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

module.exports = { config, check, expect, equal, run, fixture, sleep };
